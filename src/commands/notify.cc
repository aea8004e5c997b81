#include "commands/notify.h"

#include <string>

#include "commands/context.h"
#include "config/config.h"

namespace strata::commands {
namespace {

// Whether an event of any of `classes` would go out: a class enabled, and a channel kind
// (K, E) to publish it on. Embedded use (no host) has nobody to publish to.
bool Publishes(const ServerState& server, uint32_t classes) {
  const uint32_t enabled = server.config->values().notify_keyspace_events;
  return server.host != nullptr && (enabled & classes) != 0 &&
         (enabled & (config::kNotifyKeyspace | config::kNotifyKeyevent)) != 0;
}

}  // namespace

void NotifyKeyspaceEvent(ServerState& server, uint32_t cls, std::string_view event,
                         std::string_view key, int db) {
  if (!Publishes(server, cls)) return;
  const uint32_t enabled = server.config->values().notify_keyspace_events;
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

bool NotifyEnabled(const CommandContext& ctx, uint32_t cls) { return Publishes(ctx.server, cls); }

void Notify(CommandContext& ctx, uint32_t cls, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(ctx.server, cls, event, key, ctx.session.db);
}

void NotifyChange(CommandContext& ctx, uint32_t cls, std::string_view event, std::string_view key) {
  if (!Publishes(ctx.server, cls | config::kNotifyGeneric)) return;  // the cheap common case
  Notify(ctx, cls, event, key);
  auto left = ctx.ks().Peek(ctx.session.db, key);
  if (left.ok() && *left == nullptr) Notify(ctx, config::kNotifyGeneric, "del", key);
}

void NotifyStore(CommandContext& ctx, uint32_t cls, std::string_view event, std::string_view key,
                 bool existed, uint64_t stored) {
  if (stored > 0) {
    Notify(ctx, cls, event, key);
  } else if (existed) {
    Notify(ctx, config::kNotifyGeneric, "del", key);
  }
}

bool ExistsForNotify(CommandContext& ctx, std::string_view key) {
  if (!Publishes(ctx.server, config::kNotifyGeneric)) return false;  // only "del" needs it
  auto e = ctx.ks().Peek(ctx.session.db, key);
  return e.ok() && *e != nullptr;
}

void ListenForKeyEvents(ServerState& server) {
  server.keyspace->SetChangeListener([&server](std::string_view key) {
    server.tracking.Invalidate(server, key, server.current_client);
  });
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
      case KeyEvent::kNew:
        NotifyKeyspaceEvent(server, config::kNotifyNew, "new", key, db);
        break;
    }
  });
}

}  // namespace strata::commands
