// DEBUG, behind enable-debug-command as in Redis 7.0 (refused by default): the subcommands
// that test suites and operators use against a server, not Redis's internals.
//   SLEEP <seconds>              blocks the server, as Redis does (fractions allowed)
//   SET-ACTIVE-EXPIRE <0|1>      stops or restarts active expiry
//   HELP
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "common/ascii.h"

namespace strata::commands {
namespace {

bool IsLocal(std::string_view addr) {
  return addr.empty() || addr.starts_with("127.") || addr.starts_with("::1") ||
         addr.starts_with("[::1]");
}

bool Is(std::string_view a, std::string_view b) { return AsciiEqualsIgnoreCase(a, b); }

void Debug(CommandContext& ctx) {
  const std::string& enabled = ctx.server.config->values().enable_debug_command;
  if (enabled == "no" || (enabled == "local" && !IsLocal(ctx.session.addr))) {
    return ctx.reply.Error(
        "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
        "you can run it from a local connection, otherwise you need to set this option in the "
        "configuration file, and then restart the server.");
  }
  const std::string_view sub = ctx.arg(1);
  if (Is(sub, "help") && ctx.argc() == 2) {
    static const char* const kLines[] = {
        "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "SLEEP <seconds>",
        "    Blocks the whole server for that long (fractions of a second too).",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    0 stops removing expired keys that nobody reads; 1 (the default) resumes it.",
        "HELP",
        "    Prints this help.",
    };
    return ReplyHelp(ctx, kLines);
  }
  if (Is(sub, "sleep") && ctx.argc() == 3) {
    // As Redis reads it: a number that does not parse sleeps for 0 seconds.
    const double seconds = std::strtod(std::string(ctx.arg(2)).c_str(), nullptr);
    if (seconds > 0) {
      std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    }
    return ctx.reply.Ok();
  }
  if (Is(sub, "set-active-expire") && ctx.argc() == 3) {
    ctx.server.active_expire = std::atoi(std::string(ctx.arg(2)).c_str()) != 0;
    return ctx.reply.Ok();
  }
  ctx.reply.Error(errors::SubcommandSyntax(sub, "DEBUG"));
}

}  // namespace

void RegisterDebugCommands(CommandTable& t) {
  t.Add({.name = "debug",
         .arity = -2,
         .flags = kAdmin | kNoScript | kLoading | kStale,
         .acl = kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = Debug,
         .group = "server",
         .since = "1.0.0",
         .summary = "A container for debugging commands.",
         .complexity = "Depends on subcommand."});
}

}  // namespace strata::commands
