// Keyspace commands: DEL UNLINK EXISTS TYPE KEYS SCAN RANDOMKEY RENAME RENAMENX COPY MOVE TOUCH
// DBSIZE FLUSHDB FLUSHALL SWAPDB.
//
// Keys are moved and copied by writing the value under its new name with the same deadline
// (RENAME keeps the TTL, as do COPY and MOVE): a string through its handle (types/string.h), a
// collection by the keyspace's copy, which carries its sub-keys.
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "commands/scan_args.h"
#include "common/numbers.h"
#include "types/stream.h"
#include "types/string.h"

namespace strata::commands {
namespace {

using storage::HotEntry;
using storage::ValueType;

constexpr std::string_view kSameObject = "ERR source and destination objects are the same";

// Redis's getIntFromObjectOrReply: an int32 argument. `error` (if not empty) replaces both of
// Redis's messages (not an integer / out of int range). Replies and returns nullopt on error.
std::optional<int> IntArg(CommandContext& ctx, std::string_view arg, std::string_view error = {}) {
  auto v = ParseInt64(arg);
  if (!v) {
    ctx.reply.Error(error.empty() ? errors::kNotInteger : error);
    return std::nullopt;
  }
  if (*v < INT32_MIN || *v > INT32_MAX) {
    ctx.reply.Error(error.empty()
                        ? "ERR value is out of range, value must between -2147483648 and 2147483647"
                        : error);
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

bool ValidDb(const CommandContext& ctx, int db) { return db >= 0 && db < ctx.ks().databases(); }

// Writes `src`'s value and deadline as `key` in `db`, replacing whatever is there.
// REQUIRES: src is a live string entry.
// Keyspace::CopyEntry, except for an empty stream: a collection of size 0 is deleted there,
// but an empty stream is kept (with its last ID and groups), as in Redis.
StatusOr<HotEntry*> CopyCollection(storage::Keyspace& ks, HotEntry* e, int dst_db,
                                   std::string_view to) {
  if (e->type == storage::ValueType::kStream && ks.Header(e).size == 0) {
    return types::CopyEmptyStream(ks, e, dst_db, to);
  }
  return ks.CopyEntry(e, dst_db, to);
}

// Moves `e` to `to` in `dst_db` (RENAME, MOVE): a string's bytes move without a copy; a
// collection is copied under a new version and the source deleted.
Status MoveEntry(storage::Keyspace& ks, HotEntry* e, int dst_db, std::string_view to) {
  if (e->type == storage::ValueType::kString) {
    std::string value = std::move(e->value);
    int64_t expire_ms = e->expire_ms;
    ks.Delete(e);
    types::StringValue::Overwriting(ks, dst_db, to).Set(std::move(value), expire_ms);
    return Status::OK();
  }
  auto copy = CopyCollection(ks, e, dst_db, to);
  if (!copy.ok()) return copy.status();
  ks.Delete(e);
  return Status::OK();
}

// --- Existence and type --------------------------------------------------------------------

void Del(CommandContext& ctx) {
  int64_t removed = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    auto found = ctx.ks().Peek(ctx.session.db, ctx.arg(i));
    if (!found.ok()) return ReplyStatus(ctx, found.status());
    if (*found == nullptr) continue;
    ctx.ks().Delete(*found);
    Notify(ctx, config::kNotifyGeneric, "del", ctx.arg(i));
    ++removed;
  }
  ctx.reply.Integer(removed);
}

// EXISTS and TOUCH: how many of the arguments name a live key (a key named twice counts twice).
// Both go through Lookup, which marks the key as used, as TOUCH requires.
void CountExisting(CommandContext& ctx) {
  int64_t count = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    auto found = ctx.ks().Lookup(ctx.session.db, ctx.arg(i));
    if (!found.ok()) return ReplyStatus(ctx, found.status());
    if (*found != nullptr) ++count;
  }
  ctx.reply.Integer(count);
}

void Type(CommandContext& ctx) {
  auto found = ctx.ks().Lookup(ctx.session.db, ctx.arg(1));
  if (!found.ok()) return ReplyStatus(ctx, found.status());
  ctx.reply.SimpleString(*found == nullptr ? "none" : storage::TypeName((*found)->type));
}

// --- Enumeration ---------------------------------------------------------------------------

void Keys(CommandContext& ctx) {
  auto keys = ctx.ks().Keys(ctx.session.db, ctx.arg(1));
  if (!keys.ok()) return ReplyStatus(ctx, keys.status());
  ctx.reply.ArrayHeader(keys->size());
  for (const std::string& k : *keys) ctx.reply.Bulk(k);
}

std::optional<ValueType> TypeByName(std::string_view name) {
  for (ValueType t : {ValueType::kString, ValueType::kHash, ValueType::kList, ValueType::kSet,
                      ValueType::kZSet, ValueType::kStream}) {
    if (EqualsIgnoreCase(name, storage::TypeName(t))) return t;
  }
  return std::nullopt;
}

void Scan(CommandContext& ctx) {
  auto cursor = ParseScanCursor(ctx.arg(1));
  if (!cursor) return ctx.reply.Error("ERR invalid cursor");
  int64_t count = 10;
  std::optional<std::string_view> pattern;
  std::optional<ValueType> type;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    bool has_value = i + 1 < ctx.argc();
    std::string_view opt = ctx.arg(i);
    if (has_value && EqualsIgnoreCase(opt, "COUNT")) {
      auto v = ParseInt64(ctx.arg(i + 1));
      if (!v) return ctx.reply.Error(errors::kNotInteger);
      if (*v < 1) return ctx.reply.Error(errors::kSyntax);
      count = *v;
    } else if (has_value && EqualsIgnoreCase(opt, "MATCH")) {
      pattern = ctx.arg(i + 1);
    } else if (has_value && EqualsIgnoreCase(opt, "TYPE")) {
      // Redis 7.0 compares type names, so an unknown name matches nothing (kNone is never a
      // live key's type) rather than being an error.
      type = TypeByName(ctx.arg(i + 1)).value_or(ValueType::kNone);
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  auto result = ctx.ks().Scan(ctx.session.db, *cursor, static_cast<size_t>(count),
                              pattern.value_or("*"), type);
  if (!result.ok()) return ReplyStatus(ctx, result.status());
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(result->next_cursor));
  ctx.reply.ArrayHeader(result->keys.size());
  for (const std::string& k : result->keys) ctx.reply.Bulk(k);
}

void RandomKey(CommandContext& ctx) {
  auto key = ctx.ks().RandomKey(ctx.session.db);
  if (!key.ok()) return ReplyStatus(ctx, key.status());
  if (!*key) return ctx.reply.Null();
  ctx.reply.Bulk(**key);
}

void DbSize(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.ks().KeyCount(ctx.session.db)));
}

// --- Renaming, copying, moving -------------------------------------------------------------

void RenameGeneric(CommandContext& ctx, bool nx) {
  std::string_view from = ctx.arg(1), to = ctx.arg(2);
  storage::Keyspace& ks = ctx.ks();
  int db = ctx.session.db;
  auto src = ks.Peek(db, from);
  if (!src.ok()) return ReplyStatus(ctx, src.status());
  HotEntry* e = *src;
  if (e == nullptr) return ctx.reply.Error(errors::kNoSuchKey);
  if (from == to) return nx ? ctx.reply.Integer(0) : ctx.reply.Ok();
  auto dst = ks.Peek(db, to);
  if (!dst.ok()) return ReplyStatus(ctx, dst.status());
  if (*dst != nullptr && nx) return ctx.reply.Integer(0);
  // As Redis: the old destination goes first, so the renamed key is a new one ("new").
  if (*dst != nullptr) ks.Delete(*dst);
  Status s = MoveEntry(ks, e, db, to);
  if (!s.ok()) return ReplyStatus(ctx, s);
  Notify(ctx, config::kNotifyGeneric, "rename_from", from);
  Notify(ctx, config::kNotifyGeneric, "rename_to", to);
  nx ? ctx.reply.Integer(1) : ctx.reply.Ok();
}

void Rename(CommandContext& ctx) { RenameGeneric(ctx, false); }
void RenameNx(CommandContext& ctx) { RenameGeneric(ctx, true); }

void Copy(CommandContext& ctx) {
  int dst_db = ctx.session.db;
  bool replace = false;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    if (EqualsIgnoreCase(ctx.arg(i), "REPLACE")) {
      replace = true;
    } else if (EqualsIgnoreCase(ctx.arg(i), "DB") && i + 1 < ctx.argc()) {
      auto db = IntArg(ctx, ctx.arg(++i));
      if (!db) return;
      if (!ValidDb(ctx, *db)) return ctx.reply.Error(errors::kDbIndexOutOfRange);
      dst_db = *db;
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  std::string_view from = ctx.arg(1), to = ctx.arg(2);
  if (dst_db == ctx.session.db && from == to) return ctx.reply.Error(kSameObject);
  storage::Keyspace& ks = ctx.ks();
  auto src = ks.Lookup(ctx.session.db, from);
  if (!src.ok()) return ReplyStatus(ctx, src.status());
  if (*src == nullptr) return ctx.reply.Integer(0);
  auto dst = ks.Peek(dst_db, to);
  if (!dst.ok()) return ReplyStatus(ctx, dst.status());
  if (*dst != nullptr && !replace) return ctx.reply.Integer(0);
  if (*dst != nullptr) ks.Delete(*dst);  // as RENAME
  auto copy = CopyCollection(ks, *src, dst_db, to);
  if (!copy.ok()) return ReplyStatus(ctx, copy.status());
  NotifyKeyspaceEvent(ctx.server, config::kNotifyGeneric, "copy_to", to, dst_db);
  ctx.reply.Integer(1);
}

void Move(CommandContext& ctx) {
  auto dst_db = IntArg(ctx, ctx.arg(2));
  if (!dst_db) return;
  if (!ValidDb(ctx, *dst_db)) return ctx.reply.Error(errors::kDbIndexOutOfRange);
  if (*dst_db == ctx.session.db) return ctx.reply.Error(kSameObject);
  storage::Keyspace& ks = ctx.ks();
  std::string_view key = ctx.arg(1);
  auto src = ks.Peek(ctx.session.db, key);
  if (!src.ok()) return ReplyStatus(ctx, src.status());
  if (*src == nullptr) return ctx.reply.Integer(0);
  auto dst = ks.Peek(*dst_db, key);
  if (!dst.ok()) return ReplyStatus(ctx, dst.status());
  if (*dst != nullptr) return ctx.reply.Integer(0);
  Status s = MoveEntry(ks, *src, *dst_db, key);
  if (!s.ok()) return ReplyStatus(ctx, s);
  Notify(ctx, config::kNotifyGeneric, "move_from", key);
  NotifyKeyspaceEvent(ctx.server, config::kNotifyGeneric, "move_to", key, *dst_db);
  ctx.reply.Integer(1);
}

// --- Whole databases -----------------------------------------------------------------------

// FLUSHDB / FLUSHALL [ASYNC|SYNC]. Both modes flush before replying: a RocksDB range delete
// is already cheap, so ASYNC has nothing to defer.
bool ParseFlushMode(CommandContext& ctx) {
  if (ctx.argc() > 2 || (ctx.argc() == 2 && !EqualsIgnoreCase(ctx.arg(1), "ASYNC") &&
                         !EqualsIgnoreCase(ctx.arg(1), "SYNC"))) {
    ctx.reply.Error(errors::kSyntax);
    return false;
  }
  return true;
}

void FlushDb(CommandContext& ctx) {
  if (!ParseFlushMode(ctx)) return;
  Status s = ctx.ks().FlushDb(ctx.session.db);
  if (!s.ok()) return ReplyStatus(ctx, s);
  ctx.server.tracking.InvalidateAll(ctx.server);  // every tracking client forgets everything
  ctx.reply.Ok();
}

void FlushAll(CommandContext& ctx) {
  if (!ParseFlushMode(ctx)) return;
  Status s = ctx.ks().FlushAll();
  if (!s.ok()) return ReplyStatus(ctx, s);
  ctx.server.tracking.InvalidateAll(ctx.server);  // every tracking client forgets everything
  ctx.reply.Ok();
}

void SwapDb(CommandContext& ctx) {
  auto a = IntArg(ctx, ctx.arg(1), "ERR invalid first DB index");
  if (!a) return;
  auto b = IntArg(ctx, ctx.arg(2), "ERR invalid second DB index");
  if (!b) return;
  if (!ValidDb(ctx, *a) || !ValidDb(ctx, *b)) return ctx.reply.Error(errors::kDbIndexOutOfRange);
  if (*a != *b) {
    Status s = ctx.ks().SwapDb(*a, *b);
    if (!s.ok()) return ReplyStatus(ctx, s);
  }
  ctx.reply.Ok();
}

}  // namespace

void RegisterKeyCommands(CommandTable& table) {
  constexpr uint32_t kReadFast = kAclKeyspace | kAclRead | kAclFast;
  constexpr uint32_t kWriteFast = kAclKeyspace | kAclWrite | kAclFast;
  constexpr uint32_t kWriteSlow = kAclKeyspace | kAclWrite | kAclSlow;

  // One entry per command, as COMMAND INFO reports it.
  // clang-format off
  table.Add({.name = "del", .arity = -2, .flags = kWrite, .acl = kWriteSlow, .keys = {1, -1, 1},
             .handler = Del, .group = "generic", .since = "1.0.0", .summary = "Delete a key",
             .complexity =
                 "O(N) where N is the number of keys that will be removed. When a key to remove "
                 "holds a value other than a string, the individual complexity for this key is "
                 "O(M) where M is the number of elements in the list, set, sorted set or hash. "
                 "Removing a single key that holds a string value is O(1)."});
  table.Add({.name = "unlink", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, -1, 1}, .handler = Del, .group = "generic", .since = "4.0.0",
             .summary = "Delete a key asynchronously in another thread. Otherwise it is just as "
                        "DEL, but non blocking.",
             .complexity =
                 "O(1) for each key removed regardless of its size. Then the command does O(N) "
                 "work in a different thread in order to reclaim memory, where N is the number "
                 "of allocations the deleted objects where composed of."});
  table.Add({.name = "exists", .arity = -2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, -1, 1}, .handler = CountExisting, .group = "generic", .since = "1.0.0",
             .summary = "Determine if a key exists",
             .complexity = "O(N) where N is the number of keys to check."});
  table.Add({.name = "type", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = Type, .group = "generic", .since = "1.0.0",
             .summary = "Determine the type stored at key", .complexity = "O(1)"});
  table.Add({.name = "keys", .arity = 2, .flags = kReadOnly,
             .acl = kAclKeyspace | kAclRead | kAclSlow | kAclDangerous, .keys = {},
             .handler = Keys, .group = "generic", .since = "1.0.0",
             .summary = "Find all keys matching the given pattern",
             .complexity =
                 "O(N) with N being the number of keys in the database, under the assumption "
                 "that the key names in the database and the given pattern have limited "
                 "length."});
  table.Add({.name = "scan", .arity = -2, .flags = kReadOnly,
             .acl = kAclKeyspace | kAclRead | kAclSlow, .keys = {}, .handler = Scan,
             .group = "generic", .since = "2.8.0", .summary = "Incrementally iterate the keys space",
             .complexity =
                 "O(1) for every call. O(N) for a complete iteration, including enough command "
                 "calls for the cursor to return back to 0. N is the number of elements inside "
                 "the collection."});
  table.Add({.name = "randomkey", .arity = 1, .flags = kReadOnly,
             .acl = kAclKeyspace | kAclRead | kAclSlow, .keys = {}, .handler = RandomKey,
             .group = "generic", .since = "1.0.0",
             .summary = "Return a random key from the keyspace", .complexity = "O(1)"});
  table.Add({.name = "rename", .arity = 3, .flags = kWrite, .acl = kWriteSlow, .keys = {1, 2, 1},
             .handler = Rename, .group = "generic", .since = "1.0.0", .summary = "Rename a key",
             .complexity = "O(1)"});
  table.Add({.name = "renamenx", .arity = 3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 2, 1}, .handler = RenameNx, .group = "generic", .since = "1.0.0",
             .summary = "Rename a key, only if the new key does not exist",
             .complexity = "O(1)"});
  table.Add({.name = "copy", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 2, 1}, .handler = Copy, .group = "generic", .since = "6.2.0",
             .summary = "Copy a key",
             .complexity =
                 "O(N) worst case for collections, where N is the number of nested items. O(1) "
                 "for string values."});
  table.Add({.name = "move", .arity = 3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = Move, .group = "generic", .since = "1.0.0",
             .summary = "Move a key to another database", .complexity = "O(1)"});
  table.Add({.name = "touch", .arity = -2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, -1, 1}, .handler = CountExisting, .group = "generic", .since = "3.2.1",
             .summary = "Alters the last access time of a key(s). Returns the number of existing "
                        "keys specified.",
             .complexity = "O(N) where N is the number of keys that will be touched."});
  table.Add({.name = "dbsize", .arity = 1, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {}, .handler = DbSize, .group = "server", .since = "1.0.0",
             .summary = "Return the number of keys in the selected database",
             .complexity = "O(1)"});
  table.Add({.name = "flushdb", .arity = -1, .flags = kWrite,
             .acl = kAclKeyspace | kAclWrite | kAclSlow | kAclDangerous, .keys = {},
             .handler = FlushDb, .group = "server", .since = "1.0.0",
             .summary = "Remove all keys from the current database",
             .complexity = "O(N) where N is the number of keys in the selected database"});
  table.Add({.name = "flushall", .arity = -1, .flags = kWrite,
             .acl = kAclKeyspace | kAclWrite | kAclSlow | kAclDangerous, .keys = {},
             .handler = FlushAll, .group = "server", .since = "1.0.0",
             .summary = "Remove all keys from all databases",
             .complexity = "O(N) where N is the total number of keys in all databases"});
  table.Add({.name = "swapdb", .arity = 3, .flags = kWrite | kFast,
             .acl = kAclKeyspace | kAclWrite | kAclFast | kAclDangerous, .keys = {},
             .handler = SwapDb, .group = "server", .since = "4.0.0",
             .summary = "Swaps two Redis databases",
             .complexity =
                 "O(N) where N is the count of clients watching or blocking on keys from both "
                 "databases."});
  // clang-format on
}

}  // namespace strata::commands
