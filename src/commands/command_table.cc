#include "commands/command_table.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/numbers.h"

namespace strata::commands {
namespace {

}  // namespace

const CommandTable& CommandTable::Get() {
  static const CommandTable* table = [] {
    auto* t = new CommandTable();
    RegisterStringCommands(*t);
    RegisterKeyCommands(*t);
    RegisterExpireCommands(*t);
    RegisterConnectionCommands(*t);
    RegisterClientCommands(*t);
    RegisterCommandInfoCommands(*t);
    RegisterServerCommands(*t);
    RegisterHashCommands(*t);
    RegisterSetCommands(*t);
    RegisterListCommands(*t);
    RegisterListBlockingCommands(*t);
    RegisterObjectCommands(*t);
    RegisterZSetBlockingCommands(*t);
    RegisterSortCommands(*t);
    RegisterZSetCommands(*t);
    RegisterStreamCommands(*t);
    RegisterTransactionCommands(*t);
    RegisterScriptCommands(*t);
    RegisterPubSubCommands(*t);
    RegisterSlowlogCommands(*t);
    RegisterMemoryCommands(*t);
    RegisterDebugCommands(*t);
    RegisterLatencyCommands(*t);
    t->IndexSubcommands();
    std::sort(t->top_level_.begin(), t->top_level_.end(),
              [](const CommandSpec* a, const CommandSpec* b) { return a->name < b->name; });
    return t;
  }();
  return *table;
}

void CommandTable::Add(const CommandSpec& spec) {
  auto [it, inserted] = by_name_.emplace(std::string(spec.name), spec);
  if (inserted && spec.name.find('|') == std::string_view::npos) top_level_.push_back(&it->second);
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  // Lower-cased into a stack buffer: this runs for every command, so no allocation.
  char buf[64];
  if (name.size() > sizeof(buf)) return nullptr;
  for (size_t i = 0; i < name.size(); ++i) {
    buf[i] = AsciiLower(name[i]);
  }
  auto it = by_name_.find(std::string_view(buf, name.size()));
  if (it == by_name_.end() || it->first.find('|') != std::string::npos) return nullptr;
  return &it->second;
}

const CommandSpec* CommandTable::FindSub(const CommandSpec& parent, std::string_view sub) const {
  if (sub.size() > 64) return nullptr;
  auto it = by_name_.find(std::string(parent.name) + "|" + AsciiLowerString(sub));
  return it == by_name_.end() ? nullptr : &it->second;
}

std::vector<const CommandSpec*> CommandTable::Subcommands(const CommandSpec& parent) const {
  auto it = subcommands_.find(parent.name);
  return it == subcommands_.end() ? std::vector<const CommandSpec*>() : it->second;
}

void CommandTable::IndexSubcommands() {
  for (const auto& [name, spec] : by_name_) {
    size_t bar = name.find('|');
    if (bar == std::string::npos) continue;
    auto parent = by_name_.find(name.substr(0, bar));
    if (parent != by_name_.end()) {
      subcommands_[parent->second.name].push_back(&spec);
      parent->second.container = true;
    }
  }
  for (auto& [name, subs] : subcommands_) {
    std::sort(subs.begin(), subs.end(),
              [](const CommandSpec* a, const CommandSpec* b) { return a->name < b->name; });
  }
}

std::optional<std::vector<size_t>> CommandTable::KeyPositions(
    const CommandSpec& spec, size_t argc, std::span<const std::string_view> args) {
  std::vector<size_t> out;
  const KeySpec& k = spec.keys;
  if (k.numkeys > 0 || !k.key_after.empty()) {
    for (int i = k.first; k.first > 0 && i <= k.last && i < static_cast<int>(argc); ++i) {
      out.push_back(static_cast<size_t>(i));
    }
    if (k.numkeys > 0) {
      size_t at = static_cast<size_t>(k.numkeys);
      std::optional<int64_t> n = at < argc ? ParseInt64(args[at]) : std::nullopt;
      if (!n || *n <= 0 || static_cast<uint64_t>(*n) > argc - at - 1) return std::nullopt;
      for (int64_t j = 1; j <= *n; ++j) out.push_back(at + static_cast<size_t>(j));
    }
    if (!k.key_after.empty()) {
      std::optional<size_t> found;
      for (size_t i = 1; i + 1 < argc; ++i) {
        if (AsciiLowerString(args[i]) == k.key_after) found = i + 1;
      }
      if (found) out.push_back(*found);
    }
    return out;
  }
  if (k.first <= 0) return out;
  if (!k.keyword.empty()) {
    for (size_t i = static_cast<size_t>(k.first); i < argc; ++i) {
      if (AsciiLowerString(args[i]) == k.keyword) {
        size_t remaining = argc - i - 1;
        for (size_t j = 0; j < remaining / 2; ++j) out.push_back(i + 1 + j);
        break;
      }
    }
    return out;
  }
  int last = k.last < 0 ? static_cast<int>(argc) + k.last : k.last;
  for (int i = k.first; i <= last && i < static_cast<int>(argc); i += std::max(k.step, 1)) {
    out.push_back(static_cast<size_t>(i));
  }
  return out;
}

std::vector<std::string_view> CommandTable::FlagNames(uint32_t flags) {
  static const std::pair<uint32_t, std::string_view> kNames[] = {
      {kWrite, "write"},
      {kReadOnly, "readonly"},
      {kDenyOom, "denyoom"},
      {kAdmin, "admin"},
      {kPubSub, "pubsub"},
      {kNoScript, "noscript"},
      {kBlocking, "blocking"},
      {kLoading, "loading"},
      {kStale, "stale"},
      {kSkipMonitor, "skip_monitor"},
      {kSkipSlowlog, "skip_slowlog"},
      {kFast, "fast"},
      {kNoAuth, "no_auth"},
      {kNoMulti, "no_multi"},
      {kAllowBusy, "allow_busy"},
      {kMovableKeys, "movablekeys"},
  };
  std::vector<std::string_view> out;
  for (auto [bit, name] : kNames) {
    if (flags & bit) out.push_back(name);
  }
  return out;
}

std::vector<std::string_view> CommandTable::AclNames(uint32_t acl) {
  static const std::pair<uint32_t, std::string_view> kNames[] = {
      {kAclKeyspace, "@keyspace"},
      {kAclRead, "@read"},
      {kAclWrite, "@write"},
      {kAclSet, "@set"},
      {kAclSortedSet, "@sortedset"},
      {kAclList, "@list"},
      {kAclHash, "@hash"},
      {kAclString, "@string"},
      {kAclBitmap, "@bitmap"},
      {kAclHyperLogLog, "@hyperloglog"},
      {kAclGeo, "@geo"},
      {kAclStream, "@stream"},
      {kAclPubSub, "@pubsub"},
      {kAclAdmin, "@admin"},
      {kAclFast, "@fast"},
      {kAclSlow, "@slow"},
      {kAclBlocking, "@blocking"},
      {kAclDangerous, "@dangerous"},
      {kAclConnection, "@connection"},
      {kAclTransaction, "@transaction"},
      {kAclScripting, "@scripting"},
  };
  std::vector<std::string_view> out;
  for (auto [bit, name] : kNames) {
    if (acl & bit) out.push_back(name);
  }
  return out;
}

}  // namespace strata::commands
