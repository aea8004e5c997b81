// String commands: GET SET (EX PX EXAT PXAT NX XX KEEPTTL GET) SETNX SETEX PSETEX GETSET GETDEL
// GETEX MGET MSET MSETNX APPEND STRLEN GETRANGE SUBSTR SETRANGE INCR INCRBY DECR DECRBY
// INCRBYFLOAT.
//
// Redis's order of checks is part of the contract (a client sees the first error only), so
// each handler validates in the order Redis 7.0 does: option syntax, then numbers, then the
// key's type. Reads (GET, the GET of SET) use Lookup, which counts keyspace hits and misses;
// pure write paths use Peek, as Redis's lookupKeyWrite does not count them.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "common/numbers.h"
#include "types/string.h"

namespace strata::commands {
namespace {

using storage::HotEntry;
using storage::ValueType;
using types::StringValue;
using namespace config;  // the keyspace event classes (kNotifyString, ...)

constexpr int64_t kDefaultMaxBulkLen = 512ll * 1024 * 1024;

// Finds `key` for a string command. Returns false after replying (I/O error or WRONGTYPE);
// otherwise *out is the live string entry or nullptr. `read` selects Lookup over Peek.
// The string at `key`, or nothing after replying with the error (WRONGTYPE, I/O).
std::optional<StringValue> OpenString(CommandContext& ctx, std::string_view key, bool read) {
  auto opened = StringValue::Open(ctx.ks(), ctx.session.db, key, /*for_write=*/!read);
  if (!opened.ok()) {
    ReplyStatus(ctx, opened.status());
    return std::nullopt;
  }
  return std::move(*opened);
}

int64_t MaxBulkLen(const CommandContext& ctx) {
  return ctx.server.config ? ctx.server.config->values().proto_max_bulk_len : kDefaultMaxBulkLen;
}

// Redis's checkStringLength: may a string of `size` bytes grow by `append` more?
bool FitsMaxLen(const CommandContext& ctx, int64_t size, int64_t append) {
  int64_t max = MaxBulkLen(ctx);
  return size <= max && append <= max - size;
}

// --- SET / GETEX options -------------------------------------------------------------------

enum class ExpireKind { kNone, kEx, kPx, kExAt, kPxAt };

struct StringOptions {
  bool nx = false;
  bool xx = false;
  bool get = false;
  bool keepttl = false;
  bool persist = false;
  ExpireKind expire = ExpireKind::kNone;
  std::string_view expire_arg;
};

enum class OptionsFor { kSet, kGetEx };

// Parses SET's (or GETEX's) trailing options with Redis's compatibility rules: NX excludes XX,
// KEEPTTL/PERSIST exclude any expiry, and the four expiry forms exclude each other (repeating
// the same one is allowed; the last value wins). False on a syntax error.
bool ParseStringOptions(std::span<const std::string_view> args, size_t start, OptionsFor cmd,
                        StringOptions* o) {
  const bool is_set = cmd == OptionsFor::kSet;
  for (size_t i = start; i < args.size(); ++i) {
    std::string_view opt = args[i];
    bool has_next = i + 1 < args.size();
    auto expiry_allowed = [&](ExpireKind kind) {
      return !o->keepttl && !o->persist && has_next &&
             (o->expire == ExpireKind::kNone || o->expire == kind);
    };
    auto take_expiry = [&](ExpireKind kind) {
      o->expire = kind;
      o->expire_arg = args[++i];
    };
    if (is_set && EqualsIgnoreCase(opt, "NX") && !o->xx) {
      o->nx = true;
    } else if (is_set && EqualsIgnoreCase(opt, "XX") && !o->nx) {
      o->xx = true;
    } else if (is_set && EqualsIgnoreCase(opt, "GET")) {
      o->get = true;
    } else if (is_set && EqualsIgnoreCase(opt, "KEEPTTL") && o->expire == ExpireKind::kNone) {
      o->keepttl = true;
    } else if (!is_set && EqualsIgnoreCase(opt, "PERSIST") && o->expire == ExpireKind::kNone) {
      o->persist = true;
    } else if (EqualsIgnoreCase(opt, "EX") && expiry_allowed(ExpireKind::kEx)) {
      take_expiry(ExpireKind::kEx);
    } else if (EqualsIgnoreCase(opt, "PX") && expiry_allowed(ExpireKind::kPx)) {
      take_expiry(ExpireKind::kPx);
    } else if (EqualsIgnoreCase(opt, "EXAT") && expiry_allowed(ExpireKind::kExAt)) {
      take_expiry(ExpireKind::kExAt);
    } else if (EqualsIgnoreCase(opt, "PXAT") && expiry_allowed(ExpireKind::kPxAt)) {
      take_expiry(ExpireKind::kPxAt);
    } else {
      return false;
    }
  }
  return true;
}

// Turns an expiry argument into an absolute deadline in ms, or replies with the error and
// returns nullopt. Zero and negative values are invalid, as is anything that overflows int64
// once converted to ms and (for relative forms) added to the command time.
std::optional<int64_t> Deadline(CommandContext& ctx, ExpireKind kind, std::string_view arg,
                                std::string_view command) {
  auto v = ParseInt64(arg);
  if (!v) {
    ctx.reply.Error(errors::kNotInteger);
    return std::nullopt;
  }
  const bool seconds = kind == ExpireKind::kEx || kind == ExpireKind::kExAt;
  const bool relative = kind == ExpireKind::kEx || kind == ExpireKind::kPx;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t ms = *v;
  if (ms <= 0 || (seconds && ms > kMax / 1000)) {
    ctx.reply.Error(errors::InvalidExpire(command));
    return std::nullopt;
  }
  if (seconds) ms *= 1000;
  if (relative) {
    int64_t now = ctx.ks().now_ms();
    if (ms > kMax - now) {
      ctx.reply.Error(errors::InvalidExpire(command));
      return std::nullopt;
    }
    ms += now;
  }
  return ms;
}

// --- GET family ----------------------------------------------------------------------------

void Get(CommandContext& ctx) {
  auto s = OpenString(ctx, ctx.arg(1), /*read=*/true);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Null();
  ctx.reply.Bulk(s->value());
}

void GetDel(CommandContext& ctx) {
  auto s = OpenString(ctx, ctx.arg(1), /*read=*/true);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Null();
  ctx.reply.Bulk(s->value());
  s->Delete();
  Notify(ctx, kNotifyGeneric, "del", ctx.arg(1));
}

void GetEx(CommandContext& ctx) {
  StringOptions o;
  if (!ParseStringOptions(ctx.args, 2, OptionsFor::kGetEx, &o)) {
    return ctx.reply.Error(errors::kSyntax);
  }
  auto s = OpenString(ctx, ctx.arg(1), /*read=*/true);
  if (!s) return;
  if (!s->exists()) return ctx.reply.Null();
  std::optional<int64_t> deadline;
  if (o.expire != ExpireKind::kNone) {
    deadline = Deadline(ctx, o.expire, o.expire_arg, "getex");
    if (!deadline) return;
  }
  ctx.reply.Bulk(s->value());
  if (deadline) {
    if (*deadline <= ctx.ks().now_ms()) {
      s->Delete();  // EXAT/PXAT in the past
      Notify(ctx, kNotifyGeneric, "del", ctx.arg(1));
    } else {
      s->SetExpire(*deadline);
      Notify(ctx, kNotifyGeneric, "expire", ctx.arg(1));
    }
  } else if (o.persist && s->expire_ms() != 0) {
    s->SetExpire(0);
    Notify(ctx, kNotifyGeneric, "persist", ctx.arg(1));
  }
}

void MGet(CommandContext& ctx) {
  ctx.reply.ArrayHeader(ctx.argc() - 1);
  for (size_t i = 1; i < ctx.argc(); ++i) {
    auto found = ctx.ks().Lookup(ctx.session.db, ctx.arg(i));
    // Inside an array an I/O error cannot be an error reply without breaking the framing of
    // what came before; report the key as missing, as Redis does for wrong types.
    HotEntry* e = found.ok() ? *found : nullptr;
    if (e == nullptr || e->type != ValueType::kString) {
      ctx.reply.Null();
    } else {
      ctx.reply.Bulk(e->value);
    }
  }
}

void StrLen(CommandContext& ctx) {
  auto s = OpenString(ctx, ctx.arg(1), /*read=*/true);
  if (!s) return;
  ctx.reply.Integer(static_cast<int64_t>(s->size()));
}

// GETRANGE/SUBSTR with Redis 7.0's index rules, including its clamping of two negative
// indexes to the first byte ("GETRANGE k -100 -50" on a short string returns its first byte).
void GetRange(CommandContext& ctx) {
  auto start = ParseInt64(ctx.arg(2));
  auto end = ParseInt64(ctx.arg(3));
  if (!start || !end) return ctx.reply.Error(errors::kNotInteger);
  auto str = OpenString(ctx, ctx.arg(1), /*read=*/true);
  if (!str) return;
  if (!str->exists()) return ctx.reply.Bulk("");
  int64_t s = *start, t = *end;
  const int64_t len = static_cast<int64_t>(str->size());
  if (s < 0 && t < 0 && s > t) return ctx.reply.Bulk("");
  if (s < 0) s += len;
  if (t < 0) t += len;
  if (s < 0) s = 0;
  if (t < 0) t = 0;
  if (t >= len) t = len - 1;
  if (s > t || len == 0) return ctx.reply.Bulk("");
  ctx.reply.Bulk(str->value().substr(static_cast<size_t>(s), static_cast<size_t>(t - s + 1)));
}

// --- SET family ----------------------------------------------------------------------------

// Replies for the SET variants that are not SET itself: SETNX answers 1/0 instead of OK/nil.
struct SetReplies {
  bool integer = false;
};

// The common tail of SET, SETNX, SETEX and PSETEX (Redis's setGenericCommand).
void SetGeneric(CommandContext& ctx, const StringOptions& o, std::string_view command,
                SetReplies replies) {
  std::string_view key = ctx.arg(1);
  std::optional<int64_t> deadline;
  if (o.expire != ExpireKind::kNone) {
    deadline = Deadline(ctx, o.expire, o.expire_arg, command);
    if (!deadline) return;
  }
  storage::Keyspace& ks = ctx.ks();
  // Without GET, SET overwrites a key of any type: only its existence and TTL matter.
  bool exists = false;
  int64_t old_expire_ms = 0;
  if (o.get) {
    auto s = OpenString(ctx, key, /*read=*/true);
    if (!s) return;
    s->exists() ? ctx.reply.Bulk(s->value()) : ctx.reply.Null();
    exists = s->exists();
    old_expire_ms = s->expire_ms();
  } else {
    auto found = ks.Peek(ctx.session.db, key);
    if (!found.ok()) return ReplyStatus(ctx, found.status());
    exists = *found != nullptr;
    if (exists) old_expire_ms = (*found)->expire_ms;
  }
  if ((o.nx && exists) || (o.xx && !exists)) {
    if (o.get) return;
    return replies.integer ? ctx.reply.Integer(0) : ctx.reply.Null();
  }
  int64_t expire_ms = 0;
  if (o.keepttl) expire_ms = old_expire_ms;
  if (deadline) expire_ms = *deadline;
  StringValue::Overwriting(ks, ctx.session.db, key).Set(std::string(ctx.arg(2)), expire_ms);
  Notify(ctx, kNotifyString, "set", key);
  if (deadline) Notify(ctx, kNotifyGeneric, "expire", key);
  if (expire_ms != 0 && expire_ms <= ks.now_ms()) {
    // EXAT/PXAT in the past: the write happens and the key expires at once. Redis 7.0 expires
    // it at its next access or expiry cycle; either way it is announced as expired after the
    // events above. (The lookup deletes it as expired.)
    (void)ks.PeekNoTouch(ctx.session.db, key);
  }
  if (o.get) return;
  replies.integer ? ctx.reply.Integer(1) : ctx.reply.Ok();
}

void Set(CommandContext& ctx) {
  StringOptions o;
  if (!ParseStringOptions(ctx.args, 3, OptionsFor::kSet, &o)) {
    return ctx.reply.Error(errors::kSyntax);
  }
  SetGeneric(ctx, o, "set", {});
}

void SetNx(CommandContext& ctx) {
  StringOptions o;
  o.nx = true;
  SetGeneric(ctx, o, "setnx", {.integer = true});
}

// SETEX key seconds value / PSETEX key ms value: the value is the last argument, so the
// shared tail (which reads the value from argument 2) gets a reordered view.
void SetExGeneric(CommandContext& ctx, ExpireKind kind, std::string_view command) {
  std::string_view reordered[] = {ctx.arg(0), ctx.arg(1), ctx.arg(3)};
  CommandContext view{reordered, ctx.reply, ctx.session, ctx.server};
  StringOptions o;
  o.expire = kind;
  o.expire_arg = ctx.arg(2);
  SetGeneric(view, o, command, {});
}

void SetEx(CommandContext& ctx) { SetExGeneric(ctx, ExpireKind::kEx, "setex"); }
void PSetEx(CommandContext& ctx) { SetExGeneric(ctx, ExpireKind::kPx, "psetex"); }

void GetSet(CommandContext& ctx) {
  auto s = OpenString(ctx, ctx.arg(1), /*read=*/true);
  if (!s) return;
  s->exists() ? ctx.reply.Bulk(s->value()) : ctx.reply.Null();
  s->Set(std::string(ctx.arg(2)), 0);
  Notify(ctx, kNotifyString, "set", ctx.arg(1));
}

void MSet(CommandContext& ctx) {
  if (ctx.argc() % 2 == 0) return ctx.reply.Error(errors::WrongArity("mset"));
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    StringValue::Overwriting(ctx.ks(), ctx.session.db, ctx.arg(i))
        .Set(std::string(ctx.arg(i + 1)), 0);
    Notify(ctx, kNotifyString, "set", ctx.arg(i));
  }
  ctx.reply.Ok();
}

void MSetNx(CommandContext& ctx) {
  if (ctx.argc() % 2 == 0) return ctx.reply.Error(errors::WrongArity("msetnx"));
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    auto found = ctx.ks().Peek(ctx.session.db, ctx.arg(i));
    if (!found.ok()) return ReplyStatus(ctx, found.status());
    if (*found != nullptr) return ctx.reply.Integer(0);
  }
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    StringValue::Overwriting(ctx.ks(), ctx.session.db, ctx.arg(i))
        .Set(std::string(ctx.arg(i + 1)), 0);
    Notify(ctx, kNotifyString, "set", ctx.arg(i));
  }
  ctx.reply.Integer(1);
}

void Append(CommandContext& ctx) {
  auto s = OpenString(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  std::string_view tail = ctx.arg(2);
  if (!FitsMaxLen(ctx, static_cast<int64_t>(s->size()), static_cast<int64_t>(tail.size()))) {
    return ctx.reply.Error(errors::kStringTooLong);
  }
  s->Append(tail);
  Notify(ctx, kNotifyString, "append", ctx.arg(1));
  ctx.reply.Integer(static_cast<int64_t>(s->size()));
}

void SetRange(CommandContext& ctx) {
  auto offset = ParseInt64(ctx.arg(2));
  if (!offset) return ctx.reply.Error(errors::kNotInteger);
  if (*offset < 0) return ctx.reply.Error("ERR offset is out of range");
  std::string_view patch = ctx.arg(3);
  auto s = OpenString(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  // An empty patch never creates or grows a key: it only reports the current length.
  if (patch.empty()) return ctx.reply.Integer(static_cast<int64_t>(s->size()));
  if (!FitsMaxLen(ctx, *offset, static_cast<int64_t>(patch.size()))) {
    return ctx.reply.Error(errors::kStringTooLong);
  }
  s->Overwrite(static_cast<size_t>(*offset), patch);
  Notify(ctx, kNotifyString, "setrange", ctx.arg(1));
  ctx.reply.Integer(static_cast<int64_t>(s->size()));
}

// --- Counters ------------------------------------------------------------------------------

// INCR/DECR/INCRBY/DECRBY: adds `delta` to the integer stored at the key (0 if missing),
// keeping its TTL.
void IncrBy(CommandContext& ctx, int64_t delta) {
  auto s = OpenString(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  int64_t value = 0;
  if (s->exists()) {
    auto parsed = ParseInt64(s->value());
    if (!parsed) return ctx.reply.Error(errors::kNotInteger);
    value = *parsed;
  }
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if ((delta < 0 && value < 0 && delta < kMin - value) ||
      (delta > 0 && value > 0 && delta > kMax - value)) {
    return ctx.reply.Error(errors::kOverflow);
  }
  value += delta;
  s->Replace(FormatInt64(value));
  Notify(ctx, kNotifyString, "incrby", ctx.arg(1));
  ctx.reply.Integer(value);
}

void Incr(CommandContext& ctx) { IncrBy(ctx, 1); }
void Decr(CommandContext& ctx) { IncrBy(ctx, -1); }

void IncrByCmd(CommandContext& ctx) {
  auto delta = ParseInt64(ctx.arg(2));
  if (!delta) return ctx.reply.Error(errors::kNotInteger);
  IncrBy(ctx, *delta);
}

void DecrByCmd(CommandContext& ctx) {
  auto delta = ParseInt64(ctx.arg(2));
  if (!delta) return ctx.reply.Error(errors::kNotInteger);
  if (*delta == std::numeric_limits<int64_t>::min()) {
    return ctx.reply.Error("ERR decrement would overflow");
  }
  IncrBy(ctx, -*delta);
}

void IncrByFloat(CommandContext& ctx) {
  auto s = OpenString(ctx, ctx.arg(1), /*read=*/false);
  if (!s) return;
  long double value = 0;
  if (s->exists()) {
    auto parsed = ParseLongDouble(s->value());
    if (!parsed) return ctx.reply.Error(errors::kNotFloat);
    value = *parsed;
  }
  auto incr = ParseLongDouble(ctx.arg(2));
  if (!incr) return ctx.reply.Error(errors::kNotFloat);
  value += *incr;
  if (std::isnan(value) || std::isinf(value)) {
    return ctx.reply.Error("ERR increment would produce NaN or Infinity");
  }
  std::string text = FormatLongDoubleHuman(value);
  s->Set(text, s->expire_ms());
  Notify(ctx, kNotifyString, "incrbyfloat", ctx.arg(1));
  ctx.reply.Bulk(text);
}

}  // namespace

void RegisterStringCommands(CommandTable& table) {
  constexpr uint32_t kReadFast = kAclRead | kAclString | kAclFast;
  constexpr uint32_t kReadSlow = kAclRead | kAclString | kAclSlow;
  constexpr uint32_t kWriteFast = kAclWrite | kAclString | kAclFast;
  constexpr uint32_t kWriteSlow = kAclWrite | kAclString | kAclSlow;
  constexpr std::string_view kRangeComplexity =
      "O(N) where N is the length of the returned string. The complexity is ultimately "
      "determined by the returned length, but because creating a substring from an existing "
      "string is very cheap, it can be considered O(1) for small strings.";

  // One entry per command, as COMMAND INFO reports it.
  // clang-format off
  table.Add({.name = "get", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = Get, .group = "string", .since = "1.0.0",
             .summary = "Get the value of a key", .complexity = "O(1)"});
  table.Add({.name = "set", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = Set, .group = "string", .since = "1.0.0",
             .summary = "Set the string value of a key", .complexity = "O(1)"});
  table.Add({.name = "setnx", .arity = 3, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = SetNx, .group = "string", .since = "1.0.0",
             .summary = "Set the value of a key, only if the key does not exist",
             .complexity = "O(1)"});
  table.Add({.name = "setex", .arity = 4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = SetEx, .group = "string", .since = "2.0.0",
             .summary = "Set the value and expiration of a key", .complexity = "O(1)"});
  table.Add({.name = "psetex", .arity = 4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = PSetEx, .group = "string", .since = "2.6.0",
             .summary = "Set the value and expiration in milliseconds of a key",
             .complexity = "O(1)"});
  table.Add({.name = "getset", .arity = 3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = GetSet, .group = "string",
             .since = "1.0.0", .summary = "Set the string value of a key and return its old value",
             .complexity = "O(1)"});
  table.Add({.name = "getdel", .arity = 2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = GetDel, .group = "string", .since = "6.2.0",
             .summary = "Get the value of a key and delete the key", .complexity = "O(1)"});
  table.Add({.name = "getex", .arity = -2, .flags = kWrite | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = GetEx, .group = "string", .since = "6.2.0",
             .summary = "Get the value of a key and optionally set its expiration",
             .complexity = "O(1)"});
  table.Add({.name = "mget", .arity = -2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, -1, 1}, .handler = MGet, .group = "string", .since = "1.0.0",
             .summary = "Get the values of all the given keys",
             .complexity = "O(N) where N is the number of keys to retrieve."});
  table.Add({.name = "mset", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, -1, 2}, .handler = MSet, .group = "string", .since = "1.0.1",
             .summary = "Set multiple keys to multiple values",
             .complexity = "O(N) where N is the number of keys to set."});
  table.Add({.name = "msetnx", .arity = -3, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, -1, 2}, .handler = MSetNx, .group = "string", .since = "1.0.1",
             .summary = "Set multiple keys to multiple values, only if none of the keys exist",
             .complexity = "O(N) where N is the number of keys to set."});
  table.Add({.name = "append", .arity = 3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = Append, .group = "string",
             .since = "2.0.0", .summary = "Append a value to a key",
             .complexity =
                 "O(1). The amortized time complexity is O(1) assuming the appended value is "
                 "small and the already present value is of any size, since the dynamic string "
                 "library used by Redis will double the free space available on every "
                 "reallocation."});
  table.Add({.name = "strlen", .arity = 2, .flags = kReadOnly | kFast, .acl = kReadFast,
             .keys = {1, 1, 1}, .handler = StrLen, .group = "string", .since = "2.2.0",
             .summary = "Get the length of the value stored in a key", .complexity = "O(1)"});
  table.Add({.name = "getrange", .arity = 4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = GetRange, .group = "string", .since = "2.4.0",
             .summary = "Get a substring of the string stored at a key",
             .complexity = kRangeComplexity});
  table.Add({.name = "substr", .arity = 4, .flags = kReadOnly, .acl = kReadSlow,
             .keys = {1, 1, 1}, .handler = GetRange, .group = "string", .since = "1.0.0",
             .summary = "Get a substring of the string stored at a key",
             .complexity = kRangeComplexity});
  table.Add({.name = "setrange", .arity = 4, .flags = kWrite | kDenyOom, .acl = kWriteSlow,
             .keys = {1, 1, 1}, .handler = SetRange, .group = "string", .since = "2.2.0",
             .summary = "Overwrite part of a string at key starting at the specified offset",
             .complexity =
                 "O(1), not counting the time taken to copy the new string in place. Usually, "
                 "this string is very small so the amortized complexity is O(1). Otherwise, "
                 "complexity is O(M) with M being the length of the value argument."});
  table.Add({.name = "incr", .arity = 2, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = Incr, .group = "string", .since = "1.0.0",
             .summary = "Increment the integer value of a key by one", .complexity = "O(1)"});
  table.Add({.name = "incrby", .arity = 3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = IncrByCmd, .group = "string",
             .since = "1.0.0", .summary = "Increment the integer value of a key by the given amount",
             .complexity = "O(1)"});
  table.Add({.name = "decr", .arity = 2, .flags = kWrite | kDenyOom | kFast, .acl = kWriteFast,
             .keys = {1, 1, 1}, .handler = Decr, .group = "string", .since = "1.0.0",
             .summary = "Decrement the integer value of a key by one", .complexity = "O(1)"});
  table.Add({.name = "decrby", .arity = 3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = DecrByCmd, .group = "string",
             .since = "1.0.0", .summary = "Decrement the integer value of a key by the given number",
             .complexity = "O(1)"});
  table.Add({.name = "incrbyfloat", .arity = 3, .flags = kWrite | kDenyOom | kFast,
             .acl = kWriteFast, .keys = {1, 1, 1}, .handler = IncrByFloat, .group = "string",
             .since = "2.6.0", .summary = "Increment the float value of a key by the given amount",
             .complexity = "O(1)"});
  // clang-format on
}

}  // namespace strata::commands
