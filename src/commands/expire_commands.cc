// Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (NX XX GT LT), TTL PTTL EXPIRETIME
// PEXPIRETIME PERSIST.
//
// Deadlines are absolute milliseconds. A deadline at or before the command time deletes the
// key at once (and still counts as success), as Redis does outside replication and loading.
#include <cstdint>
#include <limits>

#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "common/numbers.h"

namespace strata::commands {
namespace {

using storage::HotEntry;

enum class Unit { kSeconds, kMillis };
enum class Base { kNow, kEpoch };

struct ExpireConditions {
  bool nx = false;
  bool xx = false;
  bool gt = false;
  bool lt = false;
};

// Parses NX/XX/GT/LT. Returns the error text, or empty on success.
std::string ParseConditions(const CommandContext& ctx, ExpireConditions* c) {
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view opt = ctx.arg(i);
    if (EqualsIgnoreCase(opt, "NX")) {
      c->nx = true;
    } else if (EqualsIgnoreCase(opt, "XX")) {
      c->xx = true;
    } else if (EqualsIgnoreCase(opt, "GT")) {
      c->gt = true;
    } else if (EqualsIgnoreCase(opt, "LT")) {
      c->lt = true;
    } else {
      return "ERR Unsupported option " + std::string(opt);
    }
  }
  if (c->nx && (c->xx || c->gt || c->lt)) {
    return "ERR NX and XX, GT or LT options at the same time are not compatible";
  }
  if (c->gt && c->lt) return "ERR GT and LT options at the same time are not compatible";
  return {};
}

// Whether the conditions allow replacing `current` (0 = no TTL, i.e. infinite) by `when`.
bool ConditionsHold(const ExpireConditions& c, int64_t current, int64_t when) {
  if (c.nx && current != 0) return false;
  if (c.xx && current == 0) return false;
  if (c.gt && (current == 0 || when <= current)) return false;
  if (c.lt && current != 0 && when >= current) return false;
  return true;
}

void ExpireGeneric(CommandContext& ctx, Unit unit, Base base, std::string_view command) {
  ExpireConditions cond;
  std::string error = ParseConditions(ctx, &cond);
  if (!error.empty()) return ctx.reply.Error(error);
  auto parsed = ParseInt64(ctx.arg(2));
  if (!parsed) return ctx.reply.Error(errors::kNotInteger);
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  int64_t when = *parsed;
  // Negative values are allowed (they delete the key); only overflow is refused.
  if (unit == Unit::kSeconds) {
    if (when > kMax / 1000 || when < kMin / 1000) {
      return ctx.reply.Error(errors::InvalidExpire(command));
    }
    when *= 1000;
  }
  int64_t base_ms = base == Base::kNow ? ctx.ks().now_ms() : 0;
  if (when > kMax - base_ms) return ctx.reply.Error(errors::InvalidExpire(command));
  when += base_ms;

  auto found = ctx.ks().Peek(ctx.session.db, ctx.arg(1));
  if (!found.ok()) return ReplyStatus(ctx, found.status());
  HotEntry* e = *found;
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ConditionsHold(cond, e->expire_ms, when)) return ctx.reply.Integer(0);
  if (when <= ctx.ks().now_ms()) {
    ctx.ks().Delete(e);
    Notify(ctx, config::kNotifyGeneric, "del", ctx.arg(1));
  } else {
    ctx.ks().SetExpire(e, when);
    Notify(ctx, config::kNotifyGeneric, "expire", ctx.arg(1));
  }
  ctx.reply.Integer(1);
}

void Expire(CommandContext& ctx) { ExpireGeneric(ctx, Unit::kSeconds, Base::kNow, "expire"); }
void PExpire(CommandContext& ctx) { ExpireGeneric(ctx, Unit::kMillis, Base::kNow, "pexpire"); }
void ExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, Unit::kSeconds, Base::kEpoch, "expireat"); }
void PExpireAt(CommandContext& ctx) {
  ExpireGeneric(ctx, Unit::kMillis, Base::kEpoch, "pexpireat");
}

// TTL family: -2 for a missing key, -1 for no TTL; otherwise the remaining time (or the
// absolute deadline), never below 0. Seconds are rounded to the nearest, as Redis does.
void TtlGeneric(CommandContext& ctx, Unit unit, bool absolute) {
  auto found = ctx.ks().Lookup(ctx.session.db, ctx.arg(1));
  if (!found.ok()) return ReplyStatus(ctx, found.status());
  HotEntry* e = *found;
  if (e == nullptr) return ctx.reply.Integer(-2);
  if (e->expire_ms == 0) return ctx.reply.Integer(-1);
  int64_t ttl = absolute ? e->expire_ms : e->expire_ms - ctx.ks().now_ms();
  if (ttl < 0) ttl = 0;
  // Rounds to the nearest second as (ttl + 500) / 1000, written so it cannot overflow.
  if (unit == Unit::kSeconds) ttl = ttl / 1000 + (ttl % 1000 + 500) / 1000;
  ctx.reply.Integer(ttl);
}

void Ttl(CommandContext& ctx) { TtlGeneric(ctx, Unit::kSeconds, false); }
void PTtl(CommandContext& ctx) { TtlGeneric(ctx, Unit::kMillis, false); }
void ExpireTime(CommandContext& ctx) { TtlGeneric(ctx, Unit::kSeconds, true); }
void PExpireTime(CommandContext& ctx) { TtlGeneric(ctx, Unit::kMillis, true); }

void Persist(CommandContext& ctx) {
  auto found = ctx.ks().Peek(ctx.session.db, ctx.arg(1));
  if (!found.ok()) return ReplyStatus(ctx, found.status());
  HotEntry* e = *found;
  if (e == nullptr || e->expire_ms == 0) return ctx.reply.Integer(0);
  ctx.ks().SetExpire(e, 0);
  Notify(ctx, config::kNotifyGeneric, "persist", ctx.arg(1));
  ctx.reply.Integer(1);
}

}  // namespace

void RegisterExpireCommands(CommandTable& table) {
  constexpr uint32_t kReadFast = kAclKeyspace | kAclRead | kAclFast;
  constexpr uint32_t kWriteFast = kAclKeyspace | kAclWrite | kAclFast;

  // One entry per command, as COMMAND INFO reports it.
  // clang-format off
  table.Add({.name = "expire", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = Expire, .group = "generic", .since = "1.0.0",
             .summary = "Set a key's time to live in seconds", .complexity = "O(1)"});
  table.Add({.name = "pexpire", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = PExpire, .group = "generic", .since = "2.6.0",
             .summary = "Set a key's time to live in milliseconds", .complexity = "O(1)"});
  table.Add({.name = "expireat", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = ExpireAt, .group = "generic", .since = "1.2.0",
             .summary = "Set the expiration for a key as a UNIX timestamp",
             .complexity = "O(1)"});
  table.Add({.name = "pexpireat", .arity = -3, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = PExpireAt, .group = "generic", .since = "2.6.0",
             .summary =
                 "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
             .complexity = "O(1)"});
  table.Add({.name = "ttl", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = Ttl, .group = "generic", .since = "1.0.0",
             .summary = "Get the time to live for a key in seconds", .complexity = "O(1)"});
  table.Add({.name = "pttl", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = PTtl, .group = "generic", .since = "2.6.0",
             .summary = "Get the time to live for a key in milliseconds", .complexity = "O(1)"});
  table.Add({.name = "expiretime", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = ExpireTime, .group = "generic", .since = "7.0.0",
             .summary = "Get the expiration Unix timestamp for a key", .complexity = "O(1)"});
  table.Add({.name = "pexpiretime", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = PExpireTime, .group = "generic", .since = "7.0.0",
             .summary = "Get the expiration Unix timestamp for a key in milliseconds",
             .complexity = "O(1)"});
  table.Add({.name = "persist", .arity = 2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = Persist, .group = "generic", .since = "2.2.0",
             .summary = "Remove the expiration from a key", .complexity = "O(1)"});
  // clang-format on
}

}  // namespace strata::commands
