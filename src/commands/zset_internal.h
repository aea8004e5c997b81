// What the two sorted-set command files share: zset_commands.cc (single-key commands and the
// registration entry point) and zset_range_commands.cc (ranges, range removal, set algebra).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_table.h"
#include "commands/context.h"
#include "types/zset.h"

namespace strata::commands::zset {

// Registers the commands of zset_range_commands.cc; called by RegisterZSetCommands.
void RegisterRangeCommands(CommandTable& table);

// Opens the sorted set at `key`; on WRONGTYPE or an I/O error replies and returns nullopt.
// `read` selects Lookup (counts keyspace hits/misses) over Peek.
std::optional<types::ZSet> OpenOrReply(CommandContext& ctx, std::string_view key, bool read);
// ZMPOP's arguments from args[numkeys_at] on (numkeys key [key ...] MIN|MAX [COUNT n]):
// validates them, pops from the first non-empty sorted set and replies. Returns true if it
// replied (popped, or an error); false if every key was empty, with their names appended to
// `empty_keys` (if given) so BZMPOP can wait on them.
bool MPop(CommandContext& ctx, size_t numkeys_at, std::vector<std::string>* empty_keys);
// Members (and scores): a flat array in RESP2; with scores, [member, score] pairs in RESP3.
void ReplyMembers(CommandContext& ctx, const std::vector<types::ScoredMember>& items,
                  bool withscores);

// ZRANGEBYSCORE's "min"/"max" ('(' for exclusive, inf and -inf allowed); nullopt if invalid.
std::optional<types::ScoreRange> ParseScoreRange(std::string_view min, std::string_view max);
// ZRANGEBYLEX's "[a"/"(a"/"-"/"+"; nullopt if invalid.
std::optional<types::LexRange> ParseLexRange(std::string_view min, std::string_view max);

inline constexpr std::string_view kNotFloatRange = "ERR min or max is not a float";
inline constexpr std::string_view kNotLexRange = "ERR min or max not valid string range item";

}  // namespace strata::commands::zset
