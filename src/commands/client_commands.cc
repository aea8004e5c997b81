// CLIENT and its subcommands: naming, listing and killing clients, tracking, pause, reply
// modes.
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

void ClientReply(CommandContext& ctx) {
  std::string_view mode = ctx.arg(2);
  if (EqualsIgnoreCase(mode, "on")) {
    ctx.session.replies_off = false;
    ctx.session.replies_to_skip = 0;
    return ctx.reply.Ok();
  }
  if (EqualsIgnoreCase(mode, "off")) {
    ctx.session.replies_off = true;
  } else if (EqualsIgnoreCase(mode, "skip")) {
    ctx.session.replies_to_skip = 2;  // this reply and the next command's
  } else {
    return ctx.reply.Error(errors::kSyntax);
  }
  ctx.reply.Ok();  // dropped by the connection, as every reply is now
}

void ClientId(CommandContext& ctx) { ctx.reply.Integer(static_cast<int64_t>(ctx.session.id)); }

void ClientSetName(CommandContext& ctx) {
  if (!ValidClientText(ctx.arg(2))) {
    return ctx.reply.Error(
        "ERR Client names cannot contain spaces, newlines or special characters.");
  }
  ctx.session.name = ctx.arg(2);
  ctx.reply.Ok();
}

void ClientGetName(CommandContext& ctx) {
  if (ctx.session.name.empty()) return ctx.reply.Null();
  ctx.reply.Bulk(ctx.session.name);
}

void ClientSetInfo(CommandContext& ctx) {
  std::string_view attr = ctx.arg(2);
  std::string_view value = ctx.arg(3);
  bool is_name = EqualsIgnoreCase(attr, "lib-name");
  if (!is_name && !EqualsIgnoreCase(attr, "lib-ver")) {
    return ctx.reply.Error("ERR Unrecognized option '" + std::string(attr) + "'");
  }
  if (!ValidClientText(value)) {
    return ctx.reply.Error("ERR " + std::string(is_name ? "lib-name" : "lib-ver") +
                           " cannot contain spaces, newlines or special characters.");
  }
  (is_name ? ctx.session.lib_name : ctx.session.lib_ver) = value;
  ctx.reply.Ok();
}

void ClientInfo(CommandContext& ctx) {
  std::string line = ctx.server.host ? ctx.server.host->ClientInfoLine(ctx.session) : "";
  ctx.reply.Verbatim(line + "\n");
}

void ClientList(CommandContext& ctx) {
  if (ctx.server.host == nullptr) return ctx.reply.Verbatim("");
  ArgParser p(ctx.args, 2);
  std::optional<std::string> type;
  std::vector<uint64_t> ids;
  while (p.HasMore()) {
    if (p.Flag("TYPE")) {
      std::string t(p.Next());
      for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (t != "normal" && t != "master" && t != "replica" && t != "slave" && t != "pubsub") {
        return ctx.reply.Error("ERR Unknown client type '" + t + "'");
      }
      type = t;
    } else if (p.Flag("ID")) {
      if (!p.HasMore()) return ctx.reply.Error(errors::kSyntax);
      while (p.HasMore()) {
        auto id = ParseInt64(p.Next());
        if (!id || *id <= 0) return ctx.reply.Error("ERR Invalid client ID");
        ids.push_back(static_cast<uint64_t>(*id));
      }
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  std::string out;
  for (const auto& c : ctx.server.host->Clients()) {
    if (type && !((*type == "normal" && c.is_normal) || (*type == "pubsub" && !c.is_normal)))
      continue;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), c.id) == ids.end()) continue;
    out += c.line;
    out += '\n';
  }
  ctx.reply.Verbatim(out);
}

void ClientKill(CommandContext& ctx) {
  Host* host = ctx.server.host;
  if (ctx.argc() == 3) {  // the old form: CLIENT KILL addr:port
    if (host) {
      for (const auto& c : host->Clients()) {
        if (c.addr == ctx.arg(2)) {
          host->KillClient(c.id);
          return ctx.reply.Ok();
        }
      }
    }
    return ctx.reply.Error("ERR No such client");
  }
  std::optional<uint64_t> id;
  std::optional<std::string> addr, laddr, type, user;
  bool skipme = true;
  ArgParser p(ctx.args, 2);
  while (p.HasMore()) {
    if (p.remaining() < 2) return ctx.reply.Error(errors::kSyntax);
    if (p.Flag("ID")) {
      auto v = ParseInt64(p.Next());
      if (!v || *v <= 0) return ctx.reply.Error("ERR client-id should be greater than 0");
      id = static_cast<uint64_t>(*v);
    } else if (p.Flag("ADDR")) {
      addr = std::string(p.Next());
    } else if (p.Flag("LADDR")) {
      laddr = std::string(p.Next());
    } else if (p.Flag("USER")) {
      user = std::string(p.Next());
    } else if (p.Flag("TYPE")) {
      std::string t(p.Next());
      for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (t != "normal" && t != "master" && t != "replica" && t != "slave" && t != "pubsub") {
        return ctx.reply.Error("ERR Unknown client type '" + t + "'");
      }
      type = t;
    } else if (p.Flag("SKIPME")) {
      std::string_view v = p.Next();
      if (EqualsIgnoreCase(v, "yes"))
        skipme = true;
      else if (EqualsIgnoreCase(v, "no"))
        skipme = false;
      else
        return ctx.reply.Error(errors::kSyntax);
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  int64_t killed = 0;
  if (host) {
    for (const auto& c : host->Clients()) {
      if (id && c.id != *id) continue;
      if (addr && c.addr != *addr) continue;
      if (laddr && c.laddr != *laddr) continue;
      if (user && *user != "default") continue;
      if (type && !((*type == "normal" && c.is_normal) || (*type == "pubsub" && !c.is_normal)))
        continue;
      if (skipme && c.id == ctx.session.id) continue;
      if (host->KillClient(c.id)) ++killed;
    }
  }
  ctx.reply.Integer(killed);
}

// CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
// (tracking.h). Options are read first, then checked against each other and the client's
// current mode in Redis's order, so the same mistake gets the same error.
void ClientTracking(CommandContext& ctx) {
  Tracking::Mode mode;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    const bool more = i + 1 < ctx.argc();
    std::string_view opt = ctx.arg(i);
    if (EqualsIgnoreCase(opt, "REDIRECT") && more) {
      if (mode.redirect != 0) {
        return ctx.reply.Error("ERR A client can only redirect to a single other client");
      }
      auto id = ParseInt64(ctx.arg(++i));
      if (!id) return ctx.reply.Error(errors::kNotInteger);
      if (ctx.server.host == nullptr ||
          ctx.server.host->FindSession(static_cast<uint64_t>(*id)) == nullptr) {
        return ctx.reply.Error("ERR The client ID you want redirect to does not exist");
      }
      mode.redirect = static_cast<uint64_t>(*id);
    } else if (EqualsIgnoreCase(opt, "BCAST")) {
      mode.bcast = true;
    } else if (EqualsIgnoreCase(opt, "OPTIN")) {
      mode.optin = true;
    } else if (EqualsIgnoreCase(opt, "OPTOUT")) {
      mode.optout = true;
    } else if (EqualsIgnoreCase(opt, "NOLOOP")) {
      mode.noloop = true;
    } else if (EqualsIgnoreCase(opt, "PREFIX") && more) {
      mode.prefixes.emplace_back(ctx.arg(++i));
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  Tracking& tracking = ctx.server.tracking;
  if (EqualsIgnoreCase(ctx.arg(2), "OFF")) {
    tracking.Disable(ctx.session);
    return ctx.reply.Ok();
  }
  if (!EqualsIgnoreCase(ctx.arg(2), "ON")) return ctx.reply.Error(errors::kSyntax);
  if (!mode.bcast && !mode.prefixes.empty()) {
    return ctx.reply.Error("ERR PREFIX option requires BCAST mode to be enabled");
  }
  const Tracking::Mode* old = tracking.ModeOf(ctx.session.id);
  if (old != nullptr && old->bcast != mode.bcast) {
    return ctx.reply.Error(
        "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and "
        "then re-enabling it with a different mode.");
  }
  if (mode.bcast && (mode.optin || mode.optout)) {
    return ctx.reply.Error("ERR OPTIN and OPTOUT are not compatible with BCAST");
  }
  if (mode.optin && mode.optout) {
    return ctx.reply.Error("ERR You can't specify both OPTIN mode and OPTOUT mode");
  }
  if (old != nullptr && ((mode.optin && old->optout) || (mode.optout && old->optin))) {
    return ctx.reply.Error(
        "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and "
        "then re-enabling it with a different mode.");
  }
  // Prefixes of one client may not overlap (one a prefix of another): a change would be
  // announced twice.
  auto overlap = [](std::string_view a, std::string_view b) {
    return a.substr(0, b.size()) == b || b.substr(0, a.size()) == a;
  };
  for (size_t i = 0; mode.bcast && i < mode.prefixes.size(); ++i) {
    for (const std::string& have : old != nullptr ? old->prefixes : std::vector<std::string>{}) {
      if (overlap(mode.prefixes[i], have)) {
        return ctx.reply.Error("ERR Prefix '" + mode.prefixes[i] +
                               "' overlaps with an existing prefix '" + have +
                               "'. Prefixes for a single client must not overlap.");
      }
    }
    for (size_t j = i + 1; j < mode.prefixes.size(); ++j) {
      if (overlap(mode.prefixes[i], mode.prefixes[j])) {
        return ctx.reply.Error("ERR Prefix '" + mode.prefixes[i] +
                               "' overlaps with another provided prefix '" + mode.prefixes[j] +
                               "'. Prefixes for a single client must not overlap.");
      }
    }
  }
  tracking.Enable(ctx.session, std::move(mode));
  ctx.reply.Ok();
}

// CLIENT CACHING YES|NO: in OPTIN mode, track the next command's reads; in OPTOUT, do not.
void ClientCaching(CommandContext& ctx) {
  const Tracking::Mode* mode = ctx.server.tracking.ModeOf(ctx.session.id);
  if (mode == nullptr) {
    return ctx.reply.Error(
        "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
        "or OPTOUT mode enabled");
  }
  if (EqualsIgnoreCase(ctx.arg(2), "YES")) {
    if (!mode->optin) {
      return ctx.reply.Error(
          "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
    }
  } else if (EqualsIgnoreCase(ctx.arg(2), "NO")) {
    if (!mode->optout) {
      return ctx.reply.Error(
          "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
    }
  } else {
    return ctx.reply.Error(errors::kSyntax);
  }
  ctx.session.caching_once = true;
  ctx.reply.Ok();
}

// CLIENT GETREDIR: -1 when not tracking, 0 without a redirect, else the target's id.
void ClientGetRedir(CommandContext& ctx) {
  const Tracking::Mode* mode = ctx.server.tracking.ModeOf(ctx.session.id);
  ctx.reply.Integer(mode == nullptr ? -1 : static_cast<int64_t>(mode->redirect));
}

void ClientTrackingInfo(CommandContext& ctx) {
  const Tracking::Mode* mode = ctx.server.tracking.ModeOf(ctx.session.id);
  std::vector<std::string_view> flags;
  if (mode == nullptr) {
    flags.push_back("off");
  } else {
    flags.push_back("on");
    if (mode->bcast) flags.push_back("bcast");
    if (mode->optin) flags.push_back("optin");
    if (mode->optin && ctx.session.caching_once) flags.push_back("caching-yes");
    if (mode->optout) flags.push_back("optout");
    if (mode->optout && ctx.session.caching_once) flags.push_back("caching-no");
    if (mode->noloop) flags.push_back("noloop");
    if (ctx.server.tracking.redirect_broken(ctx.session.id)) flags.push_back("broken_redirect");
  }
  std::vector<std::string> prefixes;
  if (mode != nullptr) prefixes = mode->prefixes;
  std::sort(prefixes.begin(), prefixes.end());
  if (ctx.reply.protocol() >= 3) {
    ctx.reply.MapHeader(3);
  } else {
    ctx.reply.ArrayHeader(6);
  }
  ctx.reply.Bulk("flags");
  ctx.reply.SetHeader(flags.size());
  for (std::string_view f : flags) ctx.reply.Bulk(f);
  ctx.reply.Bulk("redirect");
  ctx.reply.Integer(mode == nullptr ? -1 : static_cast<int64_t>(mode->redirect));
  ctx.reply.Bulk("prefixes");
  ctx.reply.ArrayHeader(prefixes.size());
  for (const std::string& p : prefixes) ctx.reply.Bulk(p);
}

// CLIENT NO-EVICT ON|OFF: Strata never evicts clients to free memory (Redis 7.0 does so only
// under maxmemory-clients, off by default), so the flag is only kept and shown (flags=e).
void ClientNoEvict(CommandContext& ctx) {
  if (EqualsIgnoreCase(ctx.arg(2), "ON")) {
    ctx.session.no_evict = true;
  } else if (EqualsIgnoreCase(ctx.arg(2), "OFF")) {
    ctx.session.no_evict = false;
  } else {
    return ctx.reply.Error(errors::kSyntax);
  }
  ctx.reply.Ok();
}

// CLIENT PAUSE timeout [WRITE|ALL]: as Redis 7.0, a second pause keeps the later end and the
// stronger mode. The pausing client is held back too: under ALL, even its CLIENT UNPAUSE
// waits for the timeout.
void ClientPauseCommand(CommandContext& ctx) {
  if (ctx.argc() > 4) {
    return ctx.reply.Error(errors::SubcommandSyntax(ctx.arg(1), "CLIENT"));
  }
  auto timeout = ParseInt64(ctx.arg(2));
  if (!timeout) return ctx.reply.Error("ERR timeout is not an integer or out of range");
  if (*timeout < 0) return ctx.reply.Error("ERR timeout is negative");
  ClientPause::Mode mode = ClientPause::kAll;
  if (ctx.argc() == 4) {
    if (EqualsIgnoreCase(ctx.arg(3), "WRITE")) {
      mode = ClientPause::kWrite;
    } else if (!EqualsIgnoreCase(ctx.arg(3), "ALL")) {
      return ctx.reply.Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
    }
  }
  ClientPause& pause = ctx.server.pause;
  const int64_t now = ctx.server.clock->NowMs();
  pause.Active(now);  // forgets one that has run out
  const int64_t end = *timeout > INT64_MAX - now ? INT64_MAX : now + *timeout;
  pause.mode = std::max(pause.mode, mode);
  pause.end_ms = std::max(pause.end_ms, end);
  ctx.reply.Ok();
}

void ClientUnpause(CommandContext& ctx) {
  ctx.server.pause = {};
  if (ctx.server.host) ctx.server.host->ResumePaused();
  ctx.reply.Ok();
}

void ClientUnblock(CommandContext& ctx) {
  auto id = ParseInt64(ctx.arg(2));
  if (!id) return ctx.reply.Error(errors::kNotInteger);
  bool error = false;
  if (ctx.argc() > 4) return ctx.reply.Error(errors::kSyntax);
  if (ctx.argc() == 4) {
    if (EqualsIgnoreCase(ctx.arg(3), "ERROR")) {
      error = true;
    } else if (!EqualsIgnoreCase(ctx.arg(3), "TIMEOUT")) {
      return ctx.reply.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }
  }
  bool done = ctx.server.host && *id > 0 &&
              ctx.server.host->UnblockClient(static_cast<uint64_t>(*id), error);
  ctx.reply.Integer(done ? 1 : 0);
}

// ---- COMMAND -------------------------------------------------------------------------

}  // namespace

void RegisterClientCommands(CommandTable& t) {
  constexpr uint32_t kConn = kAclConnection;
  constexpr uint32_t kClientFlags = kNoScript | kLoading | kStale;
  t.Add({.name = "client",
         .arity = -2,
         .flags = 0,
         .acl = kAclSlow,
         .keys = {},
         .handler = nullptr,
         .group = "connection",
         .since = "2.4.0",
         .summary = "A container for client connection commands.",
         .complexity = "Depends on subcommand."});
  t.Add({.name = "client|id",
         .arity = 2,
         .flags = kClientFlags,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientId,
         .group = "connection",
         .since = "5.0.0",
         .summary = "Returns the unique client ID of the connection.",
         .complexity = "O(1)"});
  t.Add({.name = "client|setname",
         .arity = 3,
         .flags = kClientFlags,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientSetName,
         .group = "connection",
         .since = "2.6.9",
         .summary = "Sets the connection name.",
         .complexity = "O(1)"});
  t.Add({.name = "client|getname",
         .arity = 2,
         .flags = kClientFlags,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientGetName,
         .group = "connection",
         .since = "2.6.9",
         .summary = "Returns the name of the connection.",
         .complexity = "O(1)"});
  t.Add({.name = "client|setinfo",
         .arity = 4,
         .flags = kClientFlags,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientSetInfo,
         .group = "connection",
         .since = "7.2.0",
         .summary = "Sets information specific to the client or connection.",
         .complexity = "O(1)"});
  t.Add({.name = "client|info",
         .arity = 2,
         .flags = kClientFlags,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientInfo,
         .group = "connection",
         .since = "6.2.0",
         .summary = "Returns information about the connection.",
         .complexity = "O(1)"});
  t.Add({.name = "client|list",
         .arity = -2,
         .flags = kAdmin | kClientFlags,
         .acl = kConn | kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ClientList,
         .group = "connection",
         .since = "2.4.0",
         .summary = "Lists open connections.",
         .complexity = "O(N) where N is the number of client connections"});
  t.Add({.name = "client|kill",
         .arity = -3,
         .flags = kAdmin | kClientFlags,
         .acl = kConn | kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ClientKill,
         .group = "connection",
         .since = "2.4.0",
         .summary = "Terminates open connections.",
         .complexity = "O(N) where N is the number of client connections"});

  t.Add({.name = "client|reply",
         .arity = 3,
         .flags = kNoScript | kLoading | kStale,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientReply,
         .group = "connection",
         .since = "3.2.0",
         .summary = "Instructs the server whether to reply to commands.",
         .complexity = "O(1)"});
  t.Add({.name = "client|tracking",
         .arity = -3,
         .flags = kClientFlags,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientTracking,
         .group = "connection",
         .since = "6.0.0",
         .summary = "Enable or disable server assisted client side caching support",
         .complexity = "O(1). Some options may introduce additional complexity."});
  t.Add({.name = "client|caching",
         .arity = 3,
         .flags = kClientFlags,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientCaching,
         .group = "connection",
         .since = "6.0.0",
         .summary = "Instructs the server about tracking or not keys in the next request",
         .complexity = "O(1)"});
  t.Add({.name = "client|getredir",
         .arity = 2,
         .flags = kClientFlags,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientGetRedir,
         .group = "connection",
         .since = "6.0.0",
         .summary = "Get tracking notifications redirection client ID if any",
         .complexity = "O(1)"});
  t.Add({.name = "client|trackinginfo",
         .arity = 2,
         .flags = kClientFlags,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = ClientTrackingInfo,
         .group = "connection",
         .since = "6.2.0",
         .summary = "Return information about server assisted client side caching for the current "
                    "connection",
         .complexity = "O(1)"});
  t.Add({.name = "client|no-evict",
         .arity = 3,
         .flags = kAdmin | kClientFlags,
         .acl = kConn | kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ClientNoEvict,
         .group = "connection",
         .since = "7.0.0",
         .summary = "Sets the client eviction mode of the connection.",
         .complexity = "O(1)"});
  t.Add({.name = "client|pause",
         .arity = -3,
         .flags = kAdmin | kClientFlags,
         .acl = kConn | kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ClientPauseCommand,
         .group = "connection",
         .since = "3.0.0",
         .summary = "Suspends commands processing.",
         .complexity = "O(1)"});
  t.Add({.name = "client|unpause",
         .arity = 2,
         .flags = kAdmin | kClientFlags,
         .acl = kConn | kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ClientUnpause,
         .group = "connection",
         .since = "6.2.0",
         .summary = "Resumes processing of clients that were paused.",
         .complexity = "O(N) Where N is the number of paused clients"});
  t.Add({.name = "client|unblock",
         .arity = -3,
         .flags = kAdmin | kClientFlags,
         .acl = kConn | kAclAdmin | kAclSlow | kAclDangerous,
         .keys = {},
         .handler = ClientUnblock,
         .group = "connection",
         .since = "5.0.0",
         .summary = "Unblocks a client blocked by a blocking command from a different connection.",
         .complexity = "O(log N) where N is the number of client connections"});
}

}  // namespace strata::commands
