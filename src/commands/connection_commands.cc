// Connection commands: PING ECHO QUIT RESET SELECT AUTH HELLO (CLIENT: client_commands.cc;
// COMMAND: command_info_commands.cc).
#include <algorithm>
#include <cctype>

#include "commands/arg_parser.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/dispatch.h"
#include "commands/errors.h"
#include "common/glob.h"
#include "common/numbers.h"

namespace strata::commands {
namespace {

// Names and versions that clients read from HELLO and INFO: a 7.0-compatible Redis.
constexpr std::string_view kRedisVersion = "7.0.15";

void Ping(CommandContext& ctx) {
  if (ctx.argc() > 2) return ctx.reply.Error(errors::WrongArity("ping"));
  if (ctx.session.protocol == 2 && ctx.session.subscribed()) {
    // A subscribed RESP2 connection reads arrays: PING answers as one.
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("pong");
    return ctx.reply.Bulk(ctx.argc() == 2 ? ctx.arg(1) : std::string_view());
  }
  if (ctx.argc() == 2) return ctx.reply.Bulk(ctx.arg(1));
  ctx.reply.SimpleString("PONG");
}

void Echo(CommandContext& ctx) { ctx.reply.Bulk(ctx.arg(1)); }

void Quit(CommandContext& ctx) {
  ctx.session.close_after_reply = true;
  ctx.reply.Ok();
}

void Reset(CommandContext& ctx) {
  ctx.session.replies_off = false;
  ctx.session.replies_to_skip = 0;
  ReleaseSession(ctx.server, ctx.session);
  ctx.session.caching_once = false;
  ctx.session.db = 0;
  ctx.session.protocol = 2;
  ctx.session.name.clear();
  ctx.reply.set_protocol(2);
  ctx.reply.SimpleString("RESET");
}

void Select(CommandContext& ctx) {
  auto db = ParseInt64(ctx.arg(1));
  if (!db) return ctx.reply.Error(errors::kNotInteger);
  if (*db < 0 || *db >= ctx.ks().databases()) return ctx.reply.Error(errors::kDbIndexOutOfRange);
  ctx.session.db = static_cast<int>(*db);
  ctx.reply.Ok();
}

void Hello(CommandContext& ctx) {
  int protocol = ctx.session.protocol;
  ArgParser p(ctx.args, 1);
  if (p.HasMore()) {
    auto v = ParseInt64(p.Next());
    if (!v) return ctx.reply.Error("ERR Protocol version is not an integer or out of range");
    if (*v < 2 || *v > 3) return ctx.reply.Error("NOPROTO unsupported protocol version");
    protocol = static_cast<int>(*v);
  }
  std::string_view name;
  bool set_name = false;
  while (p.HasMore()) {
    std::string_view option = ctx.arg(p.pos());
    size_t operands = p.remaining() - 1;
    if (EqualsIgnoreCase(option, "AUTH") && operands >= 2) {
      p.Next();
      std::string_view user = p.Next();
      p.Next();  // no passwords are configured: the default user accepts any password
      if (user != "default") {
        return ctx.reply.Error("WRONGPASS invalid username-password pair or user is disabled.");
      }
    } else if (EqualsIgnoreCase(option, "SETNAME") && operands >= 1) {
      p.Next();
      name = p.Next();
      set_name = true;
    } else {
      return ctx.reply.Error("ERR Syntax error in HELLO option '" + std::string(option) + "'");
    }
  }
  if (set_name && !ValidClientText(name)) {
    return ctx.reply.Error(
        "ERR Client names cannot contain spaces, newlines or special characters.");
  }
  if (set_name) ctx.session.name = name;
  ctx.session.protocol = protocol;
  ctx.reply.set_protocol(protocol);
  ctx.reply.MapHeader(7);
  ctx.reply.Bulk("server");
  ctx.reply.Bulk("redis");
  ctx.reply.Bulk("version");
  ctx.reply.Bulk(kRedisVersion);
  ctx.reply.Bulk("proto");
  ctx.reply.Integer(protocol);
  ctx.reply.Bulk("id");
  ctx.reply.Integer(static_cast<int64_t>(ctx.session.id));
  ctx.reply.Bulk("mode");
  ctx.reply.Bulk("standalone");
  ctx.reply.Bulk("role");
  ctx.reply.Bulk("master");
  ctx.reply.Bulk("modules");
  ctx.reply.ArrayHeader(0);
}

// ---- CLIENT --------------------------------------------------------------------------

void Auth(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.reply.Error(errors::kSyntax);
  if (ctx.argc() == 2) {
    return ctx.reply.Error(
        "ERR AUTH <password> called without any password configured for the default user. Are "
        "you sure your configuration is correct?");
  }
  if (ctx.arg(1) != "default") {
    return ctx.reply.Error("WRONGPASS invalid username-password pair or user is disabled.");
  }
  ctx.reply.SimpleString("OK");
}

}  // namespace

void RegisterConnectionCommands(CommandTable& t) {
  constexpr uint32_t kConn = kAclConnection;
  t.Add({.name = "ping",
         .arity = -1,
         .flags = kFast,
         .acl = kConn | kAclFast,
         .keys = {},
         .handler = Ping,
         .group = "connection",
         .since = "1.0.0",
         .summary = "Returns the server's liveliness response.",
         .complexity = "O(1)"});
  t.Add({.name = "echo",
         .arity = 2,
         .flags = kFast,
         .acl = kConn | kAclFast,
         .keys = {},
         .handler = Echo,
         .group = "connection",
         .since = "1.0.0",
         .summary = "Returns the given string.",
         .complexity = "O(1)"});
  t.Add({.name = "quit",
         .arity = -1,
         .flags = kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
         .acl = kConn | kAclFast,
         .keys = {},
         .handler = Quit,
         .group = "connection",
         .since = "1.0.0",
         .summary = "Closes the connection.",
         .complexity = "O(1)"});
  t.Add({.name = "reset",
         .arity = 1,
         .flags = kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
         .acl = kConn | kAclFast,
         .keys = {},
         .handler = Reset,
         .group = "connection",
         .since = "6.2.0",
         .summary = "Resets the connection.",
         .complexity = "O(1)"});
  t.Add({.name = "select",
         .arity = 2,
         .flags = kLoading | kStale | kFast,
         .acl = kConn | kAclFast,
         .keys = {},
         .handler = Select,
         .group = "connection",
         .since = "1.0.0",
         .summary = "Changes the selected database.",
         .complexity = "O(1)"});
  t.Add({.name = "auth",
         .arity = -2,
         .flags = kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
         .acl = kConn | kAclFast,
         .keys = {},
         .handler = Auth,
         .group = "connection",
         .since = "1.0.0",
         .summary = "Authenticates the connection.",
         .complexity = "O(N) where N is the number of passwords defined for the user"});
  t.Add({.name = "hello",
         .arity = -1,
         .flags = kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
         .acl = kConn | kAclFast,
         .keys = {},
         .handler = Hello,
         .group = "connection",
         .since = "6.0.0",
         .summary = "Handshakes with the Redis server.",
         .complexity = "O(1)"});
}

}  // namespace strata::commands
