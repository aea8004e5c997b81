#include "commands/notify.h"

#include <string>

#include "commands/context.h"
#include "config/config.h"

namespace strata::commands {

void NotifyKeyspaceEvent(ServerState& server, uint32_t cls, std::string_view event,
                         std::string_view key, int db) {
  if (server.host == nullptr) return;  // embedded use: nobody to publish to
  const uint32_t enabled = server.config->values().notify_keyspace_events;
  if ((enabled & cls) == 0 ||
      (enabled & (config::kNotifyKeyspace | config::kNotifyKeyevent)) == 0) {
    return;
  }
  const std::string prefix = "@" + std::to_string(db) + "__:";
  if (enabled & config::kNotifyKeyspace) {
    std::string channel = "__keyspace" + prefix;
    channel.append(key);
    server.pubsub.Publish(server.host, channel, event);
  }
  if (enabled & config::kNotifyKeyevent) {
    std::string channel = "__keyevent" + prefix;
    channel.append(event);
    server.pubsub.Publish(server.host, channel, key);
  }
}

void Notify(CommandContext& ctx, uint32_t cls, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(ctx.server, cls, event, key, ctx.session.db);
}

void ListenForKeyEvents(ServerState& server) {
  using KeyEvent = storage::Keyspace::KeyEvent;
  server.keyspace->SetKeyEventListener([&server](KeyEvent what, int db, std::string_view key) {
    switch (what) {
      case KeyEvent::kExpired:
        NotifyKeyspaceEvent(server, config::kNotifyExpired, "expired", key, db);
        break;
      case KeyEvent::kEvicted:
        NotifyKeyspaceEvent(server, config::kNotifyEvicted, "evicted", key, db);
        break;
      case KeyEvent::kMiss:
        NotifyKeyspaceEvent(server, config::kNotifyKeyMiss, "keymiss", key, db);
        break;
    }
  });
}

}  // namespace strata::commands
