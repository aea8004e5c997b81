// The command table: one typed entry per command, the single source for dispatch, arity
// checks, unknown-command errors, COMMAND / COMMAND INFO / COMMAND DOCS output.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::commands {

struct CommandContext;
using Handler = void (*)(CommandContext& ctx);

// Command flags, as COMMAND reports them.
enum CommandFlag : uint32_t {
  kWrite = 1u << 0,
  kReadOnly = 1u << 1,
  kDenyOom = 1u << 2,
  kAdmin = 1u << 3,
  kPubSub = 1u << 4,
  kNoScript = 1u << 5,
  kBlocking = 1u << 6,
  kLoading = 1u << 7,
  kStale = 1u << 8,
  kSkipMonitor = 1u << 9,
  kSkipSlowlog = 1u << 10,
  kFast = 1u << 11,
  kNoAuth = 1u << 12,
  kMayReplicate = 1u << 13,
  kNoMulti = 1u << 14,
  kAllowBusy = 1u << 15,
  kMovableKeys = 1u << 16,  // keys found through a numkeys argument (LMPOP, ZUNION, ...)
};

// ACL categories, as COMMAND reports them ("@keyspace", ...).
enum AclCategory : uint32_t {
  kAclKeyspace = 1u << 0,
  kAclRead = 1u << 1,
  kAclWrite = 1u << 2,
  kAclSet = 1u << 3,
  kAclSortedSet = 1u << 4,
  kAclList = 1u << 5,
  kAclHash = 1u << 6,
  kAclString = 1u << 7,
  kAclBitmap = 1u << 8,
  kAclHyperLogLog = 1u << 9,
  kAclGeo = 1u << 10,
  kAclStream = 1u << 11,
  kAclPubSub = 1u << 12,
  kAclAdmin = 1u << 13,
  kAclFast = 1u << 14,
  kAclSlow = 1u << 15,
  kAclBlocking = 1u << 16,
  kAclDangerous = 1u << 17,
  kAclConnection = 1u << 18,
  kAclTransaction = 1u << 19,
  kAclScripting = 1u << 20,
};

// Where the keys are. The legacy (first, last, step) triple that COMMAND reports; last < 0
// counts from the end. `keyword` is set for commands whose keys follow a keyword
// (XREADGROUP ... STREAMS k1 k2 id1 id2): keys start after it and take half of what remains.
// `numkeys` is the index of a key count that the keys follow (LMPOP 2 a b, ZUNIONSTORE d 2 a
// b); `key_after` a keyword whose next argument is a key, the last one counting (SORT ...
// STORE dst). Both add to the triple's keys.
struct KeySpec {
  int first = 0;  // 0 = no keys
  int last = 0;
  int step = 0;
  std::string_view keyword = {};
  int numkeys = 0;
  std::string_view key_after = {};
};

struct CommandSpec {
  std::string_view name;  // lower case; "client|list" for subcommands
  int arity;              // >0 exact, <0 at least -arity (the name counts)
  uint32_t flags;
  uint32_t acl;
  KeySpec keys;
  Handler handler;
  std::string_view group;    // "string", "generic", "connection", "server", ...
  std::string_view since;    // Redis version that introduced it
  std::string_view summary;  // one line, for COMMAND DOCS
  std::string_view complexity;
  bool container = false;  // has subcommands; set by the table, not by registrations

  // Whether `argc` arguments (the name counts) fit the arity.
  bool ArityOk(size_t argc) const {
    return arity > 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
  }
};

class CommandTable {
 public:
  // The table of every command this build implements.
  static const CommandTable& Get();

  // Case-insensitive; nullptr if unknown.
  const CommandSpec* Find(std::string_view name) const;
  // For a command with subcommands ("client", "config"...): the subcommand's entry or null.
  const CommandSpec* FindSub(const CommandSpec& parent, std::string_view sub) const;
  bool HasSubcommands(const CommandSpec& parent) const { return parent.container; }
  std::vector<const CommandSpec*> Subcommands(const CommandSpec& parent) const;
  const std::vector<const CommandSpec*>& all() const { return top_level_; }

  // Key positions of a concrete invocation (indexes into args); nullopt when a key count in
  // the arguments is not a positive integer that fits them.
  static std::optional<std::vector<size_t>> KeyPositions(const CommandSpec& spec, size_t argc,
                                                         std::span<const std::string_view> args);
  // COMMAND INFO's flag names. may_replicate is internal: Redis 7.0 does not show it.
  static std::vector<std::string_view> FlagNames(uint32_t flags);
  static std::vector<std::string_view> AclNames(uint32_t acl);

  // Registration, used by the per-family files (string_commands.cc, ...).
  void Add(const CommandSpec& spec);

 private:
  CommandTable() = default;
  void IndexSubcommands();
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, CommandSpec, NameHash, std::equal_to<>> by_name_;
  std::unordered_map<std::string_view, std::vector<const CommandSpec*>> subcommands_;
  std::vector<const CommandSpec*> top_level_;
};

// Each family registers its commands through one of these, called by CommandTable::Get().
void RegisterStringCommands(CommandTable& table);
void RegisterKeyCommands(CommandTable& table);
void RegisterExpireCommands(CommandTable& table);
void RegisterConnectionCommands(CommandTable& table);
void RegisterClientCommands(CommandTable& table);
void RegisterCommandInfoCommands(CommandTable& table);
void RegisterServerCommands(CommandTable& table);
void RegisterHashCommands(CommandTable& table);
void RegisterSetCommands(CommandTable& table);
void RegisterListCommands(CommandTable& table);
void RegisterListBlockingCommands(CommandTable& table);
void RegisterObjectCommands(CommandTable& table);
void RegisterSlowlogCommands(CommandTable& table);
void RegisterMemoryCommands(CommandTable& table);
void RegisterDebugCommands(CommandTable& table);
void RegisterLatencyCommands(CommandTable& table);
void RegisterZSetBlockingCommands(CommandTable& table);
void RegisterZSetCommands(CommandTable& table);
void RegisterSortCommands(CommandTable& table);
void RegisterStreamCommands(CommandTable& table);
void RegisterTransactionCommands(CommandTable& table);
void RegisterScriptCommands(CommandTable& table);
void RegisterPubSubCommands(CommandTable& table);

}  // namespace strata::commands
