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

// Whether an event of class `cls` would be published (to skip work done only to announce).
bool NotifyEnabled(const CommandContext& ctx, uint32_t cls);
// Publishes `event` about `key` of database `db` if class `cls` is enabled.
void NotifyKeyspaceEvent(ServerState& server, uint32_t cls, std::string_view event,
                         std::string_view key, int db);
// The same from a command, in its client's database.
void Notify(CommandContext& ctx, uint32_t cls, std::string_view event, std::string_view key);
// `event` about `key`, then "del" if the command left the key empty (a collection goes with
// its last element), as Redis announces a pop that empties a list.
void NotifyChange(CommandContext& ctx, uint32_t cls, std::string_view event, std::string_view key);
// A *STORE command's outcome, as Redis announces it: `event` when it stored something, "del"
// when its empty result deleted a key that was there (`existed`), nothing otherwise.
void NotifyStore(CommandContext& ctx, uint32_t cls, std::string_view event, std::string_view key,
                 bool existed, uint64_t stored);
// Whether `key` exists now, for NotifyStore (false when nobody would be told anyway).
bool ExistsForNotify(CommandContext& ctx, std::string_view key);
// Publishes the keyspace's own events (expired, evicted, keymiss, new) from now on, and
// hands every key change to CLIENT TRACKING.
void ListenForKeyEvents(ServerState& server);

}  // namespace strata::commands
