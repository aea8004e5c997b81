// Blocking sorted-set pops: BZPOPMIN BZPOPMAX BZMPOP. As for lists (list_blocking_commands.cc):
// serve at once if a key has members, otherwise wait until one is created as a sorted set.
#include "commands/arg_parser.h"
#include "commands/blocking.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/notify.h"
#include "commands/zset_internal.h"
#include "common/numbers.h"

namespace strata::commands {
namespace {

using types::ScoredMember;

// BZPOPMIN / BZPOPMAX key [key ...] timeout -> [key, member, score]
void BlockingPop(CommandContext& ctx, bool max) {
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(ctx.argc() - 1), &deadline)) return;
  std::vector<std::string> keys;
  for (size_t i = 1; i + 1 < ctx.argc(); ++i) {
    auto z = zset::OpenOrReply(ctx, ctx.arg(i), /*read=*/false);
    if (!z) return;
    if (!z->exists()) {
      keys.emplace_back(ctx.arg(i));
      continue;
    }
    auto popped = max ? z->PopMax(1) : z->PopMin(1);
    if (!popped.ok()) return ReplyStatus(ctx, popped.status());
    NotifyChange(ctx, config::kNotifyZSet, max ? "zpopmax" : "zpopmin", ctx.arg(i));
    ctx.reply.ArrayHeader(3);
    ctx.reply.Bulk(ctx.arg(i));
    ctx.reply.Bulk(popped->front().member);
    ctx.reply.Double(popped->front().score);
    return;
  }
  RequestBlock(ctx, std::move(keys), deadline, /*null_array_on_timeout=*/true,
               storage::ValueType::kZSet);
}

void BZPopMin(CommandContext& ctx) { BlockingPop(ctx, false); }
void BZPopMax(CommandContext& ctx) { BlockingPop(ctx, true); }

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
void BZMPop(CommandContext& ctx) {
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(1), &deadline)) return;
  std::vector<std::string> keys;
  if (zset::MPop(ctx, 2, &keys)) return;
  RequestBlock(ctx, std::move(keys), deadline, /*null_array_on_timeout=*/true,
               storage::ValueType::kZSet);
}

}  // namespace

void RegisterZSetBlockingCommands(CommandTable& t) {
  t.Add({.name = "bzpopmin",
         .arity = -3,
         .flags = kWrite | kNoScript | kBlocking | kFast,
         .acl = kAclWrite | kAclSortedSet | kAclFast | kAclBlocking,
         .keys = {1, -2, 1},
         .handler = BZPopMin,
         .group = "sorted-set",
         .since = "5.0.0",
         .summary =
             "Removes and returns the member with the lowest score from one or more sorted sets. "
             "Blocks until a member is available otherwise. Deletes the sorted set if the last "
             "element was popped.",
         .complexity = "O(log(N)) with N being the number of elements in the sorted set."});
  t.Add({.name = "bzpopmax",
         .arity = -3,
         .flags = kWrite | kNoScript | kBlocking | kFast,
         .acl = kAclWrite | kAclSortedSet | kAclFast | kAclBlocking,
         .keys = {1, -2, 1},
         .handler = BZPopMax,
         .group = "sorted-set",
         .since = "5.0.0",
         .summary =
             "Removes and returns the member with the highest score from one or more sorted sets. "
             "Blocks until a member available otherwise.  Deletes the sorted set if the last "
             "element was popped.",
         .complexity = "O(log(N)) with N being the number of elements in the sorted set."});
  t.Add(
      {.name = "bzmpop",
       .arity = -5,
       .flags = kWrite | kBlocking | kMovableKeys,
       .acl = kAclWrite | kAclSortedSet | kAclSlow | kAclBlocking,
       .keys = {.numkeys = 2},
       .handler = BZMPop,
       .group = "sorted-set",
       .since = "7.0.0",
       .summary =
           "Removes and returns a member by score from one or more sorted sets. Blocks until a "
           "member is available otherwise. Deletes the sorted set if the last element was popped.",
       .complexity =
           "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of "
           "elements in the sorted set, and M being the number of elements popped."});
}

}  // namespace strata::commands
