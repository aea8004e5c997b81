// What the two stream command files share: stream_commands.cc (entries, XREAD, registration
// entry point) and stream_group_commands.cc (consumer groups, XREADGROUP, XINFO).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_table.h"
#include "commands/context.h"
#include "types/stream.h"

namespace strata::commands::stream {

// Registers the commands of stream_group_commands.cc; called by RegisterStreamCommands.
void RegisterGroupCommands(CommandTable& table);
// Registers XINFO (stream_info_commands.cc); called by RegisterGroupCommands.
void RegisterInfoCommands(CommandTable& table);

// Opens the stream at `key`; on WRONGTYPE or an I/O error replies and returns nullopt.
// `read` selects Lookup (counts keyspace hits/misses) over Peek.
std::optional<types::Stream> OpenOrReply(CommandContext& ctx, std::string_view key, bool read);

// Parses a strict ID (no '-'/'+') with a missing sequence meaning `missing_seq`; on error
// replies with Redis's text and returns false.
bool ParseIdOrReply(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                    types::StreamId* id);
// An interval bound of XRANGE/XPENDING/XAUTOCLAIM: '-', '+', an ID, or '(' and an ID for an
// exclusive bound (turned into the next/previous ID). `start` picks the side. Replies on error.
bool ParseRangeBoundOrReply(CommandContext& ctx, std::string_view arg, bool start,
                            types::StreamId* id);

void ReplyId(CommandContext& ctx, types::StreamId id);
// [id, [field, value, ...]]
void ReplyEntry(CommandContext& ctx, const types::StreamEntry& entry);
void ReplyEntries(CommandContext& ctx, const std::vector<types::StreamEntry>& entries);

// XREAD and XREADGROUP's arguments.
struct ReadArgs {
  int64_t count = 0;  // 0 = no limit
  bool block = false;
  int64_t deadline_ms = 0;  // with block: absolute, 0 = forever
  bool noack = false;
  std::string_view group;
  std::string_view consumer;
  bool has_group = false;
  size_t keys_at = 0;  // index of the first key
  size_t nkeys = 0;
};
// Parses options up to STREAMS as Redis does (same checks, same order). Replies on error.
bool ParseReadArgs(CommandContext& ctx, bool xreadgroup, ReadArgs* args);
// Whether this run of a command is the server running it again for a client that blocked on
// `wait` (rather than a new command from it). The caller has taken `wait` out of the session.
bool IsWaitRerun(CommandContext& ctx, const StreamWait& wait);
// Asks to wait on the read's keys; `ids` are what the re-run must read past (XREAD's '$').
void BlockRead(CommandContext& ctx, const ReadArgs& args, std::vector<std::string> ids);

}  // namespace strata::commands::stream
