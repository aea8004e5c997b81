// Keyspace notifications (notify-keyspace-events), as Redis publishes them: for an event of an
// enabled class, `event` on __keyspace@<db>__:<key> (K) and `key` on __keyevent@<db>__:<event>
// (E). Commands call Notify after their change, with Redis's event name; what happens to keys
// by itself (expired, evicted, keymiss) comes from the keyspace through ListenForKeyEvents.
// Pub/sub is fire-and-forget: a notification reaches whoever is subscribed at that moment.
#pragma once

#include <cstdint>
#include <string_view>

#include "config/keyspace_events.h"

namespace strata::commands {

struct ServerState;
struct CommandContext;

// Publishes `event` about `key` of database `db` if class `cls` is enabled.
void NotifyKeyspaceEvent(ServerState& server, uint32_t cls, std::string_view event,
                         std::string_view key, int db);
// The same from a command, in its client's database.
void Notify(CommandContext& ctx, uint32_t cls, std::string_view event, std::string_view key);
// Publishes the keyspace's own events (expired, evicted, keymiss) from now on.
void ListenForKeyEvents(ServerState& server);

}  // namespace strata::commands
