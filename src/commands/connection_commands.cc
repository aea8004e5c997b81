// Connection commands: PING ECHO QUIT RESET SELECT HELLO CLIENT and COMMAND.
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

// Client names and library attributes may not contain spaces, newlines or control bytes.
bool ValidClientText(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '!' && c <= '~'; });
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

void ReplyCommandInfo(CommandContext& ctx, const CommandSpec& spec) {
  const CommandTable& table = CommandTable::Get();
  ctx.reply.ArrayHeader(10);
  ctx.reply.Bulk(spec.name);
  ctx.reply.Integer(spec.arity);
  auto flags = CommandTable::FlagNames(spec.flags);
  ctx.reply.SetHeader(flags.size());
  for (auto f : flags) ctx.reply.SimpleString(f);
  ctx.reply.Integer(spec.keys.first);
  ctx.reply.Integer(spec.keys.last);
  ctx.reply.Integer(spec.keys.step);
  auto acl = CommandTable::AclNames(spec.acl);
  ctx.reply.SetHeader(acl.size());
  for (auto a : acl) ctx.reply.SimpleString(a);
  ctx.reply.SetHeader(0);  // tips
  // Key specifications, in Redis 7's shape, derived from the legacy triple. Tips and key
  // specifications are sets, as Redis 7.0 sends them (RESP3 tells them from arrays).
  if (spec.keys.first > 0) {
    ctx.reply.SetHeader(1);
    ctx.reply.MapHeader(3);
    ctx.reply.Bulk("flags");
    ctx.reply.SetHeader(0);
    ctx.reply.Bulk("begin_search");
    ctx.reply.MapHeader(2);
    if (spec.keys.keyword.empty()) {
      ctx.reply.Bulk("type");
      ctx.reply.Bulk("index");
      ctx.reply.Bulk("spec");
      ctx.reply.MapHeader(1);
      ctx.reply.Bulk("index");
      ctx.reply.Integer(spec.keys.first);
    } else {
      ctx.reply.Bulk("type");
      ctx.reply.Bulk("keyword");
      ctx.reply.Bulk("spec");
      ctx.reply.MapHeader(2);
      ctx.reply.Bulk("keyword");
      ctx.reply.Bulk(spec.keys.keyword);
      ctx.reply.Bulk("startfrom");
      ctx.reply.Integer(spec.keys.first);
    }
    ctx.reply.Bulk("find_keys");
    ctx.reply.MapHeader(2);
    ctx.reply.Bulk("type");
    ctx.reply.Bulk("range");
    ctx.reply.Bulk("spec");
    ctx.reply.MapHeader(3);
    ctx.reply.Bulk("lastkey");
    ctx.reply.Integer(spec.keys.last >= 0 ? spec.keys.last - spec.keys.first : spec.keys.last);
    ctx.reply.Bulk("keystep");
    ctx.reply.Integer(spec.keys.step);
    ctx.reply.Bulk("limit");
    ctx.reply.Integer(0);
  } else {
    ctx.reply.SetHeader(0);
  }
  auto subs = table.Subcommands(spec);
  // An empty subcommand list is a set, a non-empty one an array, as Redis 7.0 sends them.
  if (subs.empty()) {
    ctx.reply.SetHeader(0);
  } else {
    ctx.reply.ArrayHeader(subs.size());
  }
  for (const CommandSpec* sub : subs) ReplyCommandInfo(ctx, *sub);
}

void Command(CommandContext& ctx) {
  const auto& all = CommandTable::Get().all();
  ctx.reply.ArrayHeader(all.size());
  for (const CommandSpec* spec : all) ReplyCommandInfo(ctx, *spec);
}

void CommandCount(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(CommandTable::Get().all().size()));
}

void CommandInfo(CommandContext& ctx) {
  const CommandTable& table = CommandTable::Get();
  if (ctx.argc() == 2) return Command(ctx);
  ctx.reply.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const CommandSpec* spec = table.Find(ctx.arg(i));
    if (spec)
      ReplyCommandInfo(ctx, *spec);
    else
      ctx.reply.NullArray();
  }
}

void ReplyDocs(CommandContext& ctx, const CommandSpec& spec) {
  const CommandTable& table = CommandTable::Get();
  auto subs = table.Subcommands(spec);
  ctx.reply.MapHeader(subs.empty() ? 4 : 5);
  ctx.reply.Bulk("summary");
  ctx.reply.Bulk(spec.summary);
  ctx.reply.Bulk("since");
  ctx.reply.Bulk(spec.since);
  ctx.reply.Bulk("group");
  ctx.reply.Bulk(spec.group);
  ctx.reply.Bulk("complexity");
  ctx.reply.Bulk(spec.complexity);
  if (!subs.empty()) {
    ctx.reply.Bulk("subcommands");
    ctx.reply.MapHeader(subs.size());
    for (const CommandSpec* sub : subs) {
      ctx.reply.Bulk(sub->name);
      ReplyDocs(ctx, *sub);
    }
  }
}

void CommandDocs(CommandContext& ctx) {
  const CommandTable& table = CommandTable::Get();
  std::vector<const CommandSpec*> specs;
  if (ctx.argc() == 2) {
    specs = table.all();
  } else {
    for (size_t i = 2; i < ctx.argc(); ++i) {
      if (const CommandSpec* s = table.Find(ctx.arg(i))) specs.push_back(s);
    }
  }
  ctx.reply.MapHeader(specs.size());
  for (const CommandSpec* spec : specs) {
    ctx.reply.Bulk(spec->name);
    ReplyDocs(ctx, *spec);
  }
}

void CommandList(CommandContext& ctx) {
  const CommandTable& table = CommandTable::Get();
  std::optional<std::string> pattern, acl, module;
  if (ctx.argc() > 2) {
    if (ctx.argc() != 5 || !EqualsIgnoreCase(ctx.arg(2), "FILTERBY")) {
      return ctx.reply.Error(errors::kSyntax);
    }
    if (EqualsIgnoreCase(ctx.arg(3), "PATTERN"))
      pattern = std::string(ctx.arg(4));
    else if (EqualsIgnoreCase(ctx.arg(3), "ACLCAT"))
      acl = "@" + std::string(ctx.arg(4));
    else if (EqualsIgnoreCase(ctx.arg(3), "MODULE"))
      module = std::string(ctx.arg(4));
    else
      return ctx.reply.Error(errors::kSyntax);
  }
  std::vector<std::string_view> names;
  for (const CommandSpec* spec : table.all()) {
    if (module) continue;  // no modules
    if (acl) {
      auto cats = CommandTable::AclNames(spec->acl);
      bool hit = false;
      for (auto c : cats) hit |= EqualsIgnoreCase(c, *acl);
      if (!hit) continue;
    }
    names.push_back(spec->name);
    for (const CommandSpec* sub : table.Subcommands(*spec)) names.push_back(sub->name);
  }
  if (pattern) {
    std::vector<std::string_view> kept;
    for (auto n : names) {
      if (GlobMatch(*pattern, n, /*nocase=*/true)) kept.push_back(n);
    }
    names.swap(kept);
  }
  ctx.reply.ArrayHeader(names.size());
  for (auto n : names) ctx.reply.Bulk(n);
}

void CommandGetKeys(CommandContext& ctx) {
  const CommandTable& table = CommandTable::Get();
  const CommandSpec* spec = table.Find(ctx.arg(2));
  if (spec == nullptr) return ctx.reply.Error("ERR Invalid command specified");
  std::vector<std::string_view> args(ctx.args.begin() + 2, ctx.args.end());
  int arity = spec->arity;
  if ((arity > 0 && static_cast<int>(args.size()) != arity) ||
      (arity < 0 && static_cast<int>(args.size()) < -arity)) {
    return ctx.reply.Error("ERR Invalid number of arguments specified for command");
  }
  auto pos = CommandTable::KeyPositions(*spec, args.size(), args);
  if (!pos) return ctx.reply.Error("ERR Invalid arguments specified for command");
  if (pos->empty()) return ctx.reply.Error("ERR The command has no key arguments");
  ctx.reply.ArrayHeader(pos->size());
  for (size_t i : *pos) ctx.reply.Bulk(args[i]);
}

// AUTH [username] password. Strata has no password yet: its only user is Redis's "default"
// with nopass, so AUTH answers as Redis 7.0 does without requirepass (libraries that always
// send credentials, such as a default-user AUTH, keep working).
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
  t.Add({"ping",
         -1,
         kFast,
         kConn | kAclFast,
         {},
         Ping,
         "connection",
         "1.0.0",
         "Returns the server's liveliness response.",
         "O(1)"});
  t.Add({"echo",
         2,
         kFast,
         kConn | kAclFast,
         {},
         Echo,
         "connection",
         "1.0.0",
         "Returns the given string.",
         "O(1)"});
  t.Add({"quit",
         -1,
         kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
         kConn | kAclFast,
         {},
         Quit,
         "connection",
         "1.0.0",
         "Closes the connection.",
         "O(1)"});
  t.Add({"reset",
         1,
         kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
         kConn | kAclFast,
         {},
         Reset,
         "connection",
         "6.2.0",
         "Resets the connection.",
         "O(1)"});
  t.Add({"select",
         2,
         kLoading | kStale | kFast,
         kConn | kAclFast,
         {},
         Select,
         "connection",
         "1.0.0",
         "Changes the selected database.",
         "O(1)"});
  t.Add({"auth",
         -2,
         kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
         kConn | kAclFast,
         {},
         Auth,
         "connection",
         "1.0.0",
         "Authenticates the connection.",
         "O(N) where N is the number of passwords defined for the user"});
  t.Add({"hello",
         -1,
         kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
         kConn | kAclFast,
         {},
         Hello,
         "connection",
         "6.0.0",
         "Handshakes with the Redis server.",
         "O(1)"});

  constexpr uint32_t kClientFlags = kNoScript | kLoading | kStale;
  t.Add({"client",
         -2,
         0,
         kAclSlow,
         {},
         nullptr,
         "connection",
         "2.4.0",
         "A container for client connection commands.",
         "Depends on subcommand."});
  t.Add({"client|id",
         2,
         kClientFlags,
         kConn | kAclSlow,
         {},
         ClientId,
         "connection",
         "5.0.0",
         "Returns the unique client ID of the connection.",
         "O(1)"});
  t.Add({"client|setname",
         3,
         kClientFlags,
         kConn | kAclSlow,
         {},
         ClientSetName,
         "connection",
         "2.6.9",
         "Sets the connection name.",
         "O(1)"});
  t.Add({"client|getname",
         2,
         kClientFlags,
         kConn | kAclSlow,
         {},
         ClientGetName,
         "connection",
         "2.6.9",
         "Returns the name of the connection.",
         "O(1)"});
  t.Add({"client|setinfo",
         4,
         kClientFlags,
         kConn | kAclSlow,
         {},
         ClientSetInfo,
         "connection",
         "7.2.0",
         "Sets information specific to the client or connection.",
         "O(1)"});
  t.Add({"client|info",
         2,
         kClientFlags,
         kConn | kAclSlow,
         {},
         ClientInfo,
         "connection",
         "6.2.0",
         "Returns information about the connection.",
         "O(1)"});
  t.Add({"client|list",
         -2,
         kAdmin | kClientFlags,
         kConn | kAclAdmin | kAclSlow | kAclDangerous,
         {},
         ClientList,
         "connection",
         "2.4.0",
         "Lists open connections.",
         "O(N) where N is the number of client connections"});
  t.Add({"client|kill",
         -3,
         kAdmin | kClientFlags,
         kConn | kAclAdmin | kAclSlow | kAclDangerous,
         {},
         ClientKill,
         "connection",
         "2.4.0",
         "Terminates open connections.",
         "O(N) where N is the number of client connections"});

  t.Add({"client|reply",
         3,
         kNoScript | kLoading | kStale,
         kConn | kAclSlow,
         {},
         ClientReply,
         "connection",
         "3.2.0",
         "Instructs the server whether to reply to commands.",
         "O(1)"});
  t.Add({"client|tracking",
         -3,
         kClientFlags,
         kConn | kAclSlow,
         {},
         ClientTracking,
         "connection",
         "6.0.0",
         "Enable or disable server assisted client side caching support",
         "O(1). Some options may introduce additional complexity."});
  t.Add({"client|caching",
         3,
         kClientFlags,
         kConn | kAclSlow,
         {},
         ClientCaching,
         "connection",
         "6.0.0",
         "Instructs the server about tracking or not keys in the next request",
         "O(1)"});
  t.Add({"client|getredir",
         2,
         kClientFlags,
         kConn | kAclSlow,
         {},
         ClientGetRedir,
         "connection",
         "6.0.0",
         "Get tracking notifications redirection client ID if any",
         "O(1)"});
  t.Add({"client|trackinginfo",
         2,
         kClientFlags,
         kConn | kAclSlow,
         {},
         ClientTrackingInfo,
         "connection",
         "6.2.0",
         "Return information about server assisted client side caching for the current "
         "connection",
         "O(1)"});
  t.Add({"client|no-evict",
         3,
         kAdmin | kClientFlags,
         kConn | kAclAdmin | kAclSlow | kAclDangerous,
         {},
         ClientNoEvict,
         "connection",
         "7.0.0",
         "Sets the client eviction mode of the connection.",
         "O(1)"});
  t.Add({"client|pause",
         -3,
         kAdmin | kClientFlags,
         kConn | kAclAdmin | kAclSlow | kAclDangerous,
         {},
         ClientPauseCommand,
         "connection",
         "3.0.0",
         "Suspends commands processing.",
         "O(1)"});
  t.Add({"client|unpause",
         2,
         kAdmin | kClientFlags,
         kConn | kAclAdmin | kAclSlow | kAclDangerous,
         {},
         ClientUnpause,
         "connection",
         "6.2.0",
         "Resumes processing of clients that were paused.",
         "O(N) Where N is the number of paused clients"});
  t.Add({"client|unblock",
         -3,
         kAdmin | kClientFlags,
         kConn | kAclAdmin | kAclSlow | kAclDangerous,
         {},
         ClientUnblock,
         "connection",
         "5.0.0",
         "Unblocks a client blocked by a blocking command from a different connection.",
         "O(log N) where N is the number of client connections"});
  t.Add({"command",
         -1,
         kLoading | kStale,
         kConn | kAclSlow,
         {},
         Command,
         "server",
         "2.8.13",
         "Returns detailed information about all commands.",
         "O(N) where N is the total number of Redis commands"});
  t.Add({"command|count",
         2,
         kLoading | kStale,
         kConn | kAclSlow,
         {},
         CommandCount,
         "server",
         "2.8.13",
         "Returns a count of commands.",
         "O(1)"});
  t.Add({"command|info",
         -2,
         kLoading | kStale,
         kConn | kAclSlow,
         {},
         CommandInfo,
         "server",
         "2.8.13",
         "Returns information about one, multiple or all commands.",
         "O(N) where N is the number of commands to look up"});
  t.Add({"command|docs",
         -2,
         kLoading | kStale,
         kConn | kAclSlow,
         {},
         CommandDocs,
         "server",
         "7.0.0",
         "Returns documentary information about one, multiple or all commands.",
         "O(N) where N is the number of commands to look up"});
  t.Add({"command|list",
         -2,
         kLoading | kStale,
         kConn | kAclSlow,
         {},
         CommandList,
         "server",
         "7.0.0",
         "Returns a list of command names.",
         "O(N) where N is the total number of Redis commands"});
  t.Add({"command|getkeys",
         -4,
         kLoading | kStale,
         kConn | kAclSlow,
         {},
         CommandGetKeys,
         "server",
         "2.8.13",
         "Extracts the key names from an arbitrary command.",
         "O(N) where N is the number of arguments to the command"});
}

}  // namespace strata::commands
