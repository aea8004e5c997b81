// COMMAND and its subcommands: the command table as clients read it (COMMAND INFO, DOCS,
// LIST, COUNT, GETKEYS).
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

}  // namespace

void RegisterCommandInfoCommands(CommandTable& t) {
  constexpr uint32_t kConn = kAclConnection;
  t.Add({.name = "command",
         .arity = -1,
         .flags = kLoading | kStale,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = Command,
         .group = "server",
         .since = "2.8.13",
         .summary = "Returns detailed information about all commands.",
         .complexity = "O(N) where N is the total number of Redis commands"});
  t.Add({.name = "command|count",
         .arity = 2,
         .flags = kLoading | kStale,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = CommandCount,
         .group = "server",
         .since = "2.8.13",
         .summary = "Returns a count of commands.",
         .complexity = "O(1)"});
  t.Add({.name = "command|info",
         .arity = -2,
         .flags = kLoading | kStale,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = CommandInfo,
         .group = "server",
         .since = "2.8.13",
         .summary = "Returns information about one, multiple or all commands.",
         .complexity = "O(N) where N is the number of commands to look up"});
  t.Add({.name = "command|docs",
         .arity = -2,
         .flags = kLoading | kStale,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = CommandDocs,
         .group = "server",
         .since = "7.0.0",
         .summary = "Returns documentary information about one, multiple or all commands.",
         .complexity = "O(N) where N is the number of commands to look up"});
  t.Add({.name = "command|list",
         .arity = -2,
         .flags = kLoading | kStale,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = CommandList,
         .group = "server",
         .since = "7.0.0",
         .summary = "Returns a list of command names.",
         .complexity = "O(N) where N is the total number of Redis commands"});
  t.Add({.name = "command|getkeys",
         .arity = -4,
         .flags = kLoading | kStale,
         .acl = kConn | kAclSlow,
         .keys = {},
         .handler = CommandGetKeys,
         .group = "server",
         .since = "2.8.13",
         .summary = "Extracts the key names from an arbitrary command.",
         .complexity = "O(N) where N is the number of arguments to the command"});
}

}  // namespace strata::commands
