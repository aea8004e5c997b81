// Blocking list commands: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP. Each first tries what its
// non-blocking twin does; only when every key is missing does it ask to wait (blocking.h).
// The server runs the same command again when one of the keys is created as a list.
#include "commands/arg_parser.h"
#include "commands/blocking.h"
#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/errors.h"
#include "commands/list_internal.h"
#include "commands/notify.h"
#include "common/numbers.h"
#include "types/list.h"

namespace strata::commands {
namespace {

using types::List;

// BLPOP / BRPOP key [key ...] timeout
void BlockingPop(CommandContext& ctx, List::End end) {
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(ctx.argc() - 1), &deadline)) return;
  std::vector<std::string> keys;
  for (size_t i = 1; i + 1 < ctx.argc(); ++i) {
    auto list = List::Open(ctx.ks(), ctx.session.db, ctx.arg(i), /*for_write=*/true);
    if (!list.ok()) return ReplyStatus(ctx, list.status());
    if (!list->exists()) {
      keys.emplace_back(ctx.arg(i));
      continue;
    }
    auto popped = list->Pop(end, 1);
    if (!popped.ok()) return ReplyStatus(ctx, popped.status());
    NotifyChange(ctx, config::kNotifyList, end == List::End::kHead ? "lpop" : "rpop", ctx.arg(i));
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(ctx.arg(i));
    ctx.reply.Bulk(popped->front());
    return;
  }
  RequestBlock(ctx, std::move(keys), deadline, /*null_array_on_timeout=*/true,
               storage::ValueType::kList);
}

void BLPop(CommandContext& ctx) { BlockingPop(ctx, List::End::kHead); }
void BRPop(CommandContext& ctx) { BlockingPop(ctx, List::End::kTail); }

bool ParseEnd(std::string_view s, List::End* end) {
  if (EqualsIgnoreCase(s, "LEFT"))
    *end = List::End::kHead;
  else if (EqualsIgnoreCase(s, "RIGHT"))
    *end = List::End::kTail;
  else
    return false;
  return true;
}

void BlockingMove(CommandContext& ctx, std::string_view source, std::string_view destination,
                  List::End from, List::End to, std::string_view timeout_arg) {
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, timeout_arg, &deadline)) return;
  auto moved = List::Move(ctx.ks(), ctx.session.db, source, destination, from, to);
  if (!moved.ok()) return ReplyStatus(ctx, moved.status());
  if (moved->has_value()) {
    NotifyListMove(ctx, source, destination, from, to);
    return ctx.reply.Bulk(**moved);
  }
  RequestBlock(ctx, {std::string(source)}, deadline, /*null_array_on_timeout=*/false,
               storage::ValueType::kList);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
void BLMove(CommandContext& ctx) {
  List::End from, to;
  if (!ParseEnd(ctx.arg(3), &from) || !ParseEnd(ctx.arg(4), &to)) {
    return ctx.reply.Error(errors::kSyntax);
  }
  BlockingMove(ctx, ctx.arg(1), ctx.arg(2), from, to, ctx.arg(5));
}

// BRPOPLPUSH source destination timeout
void BRPopLPush(CommandContext& ctx) {
  BlockingMove(ctx, ctx.arg(1), ctx.arg(2), List::End::kTail, List::End::kHead, ctx.arg(3));
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
void BLMPop(CommandContext& ctx) {
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(1), &deadline)) return;
  std::vector<std::string> keys;
  if (ListMPop(ctx, 2, &keys)) return;
  RequestBlock(ctx, std::move(keys), deadline, /*null_array_on_timeout=*/true,
               storage::ValueType::kList);
}

}  // namespace

void RegisterListBlockingCommands(CommandTable& t) {
  constexpr uint32_t kAcl = kAclWrite | kAclList | kAclSlow | kAclBlocking;
  t.Add({.name = "blpop",
         .arity = -3,
         .flags = kWrite | kNoScript | kBlocking,
         .acl = kAcl,
         .keys = {1, -2, 1},
         .handler = BLPop,
         .group = "list",
         .since = "2.0.0",
         .summary = "Removes and returns the first element in a list. Blocks until an element is "
                    "available otherwise. Deletes the list if the last element was popped.",
         .complexity = "O(N) where N is the number of provided keys."});
  t.Add({.name = "brpop",
         .arity = -3,
         .flags = kWrite | kNoScript | kBlocking,
         .acl = kAcl,
         .keys = {1, -2, 1},
         .handler = BRPop,
         .group = "list",
         .since = "2.0.0",
         .summary =
             "Removes and returns the last element in a list. Blocks until an element is available "
             "otherwise. Deletes the list if the last element was popped.",
         .complexity = "O(N) where N is the number of provided keys."});
  t.Add({.name = "blmove",
         .arity = 6,
         .flags = kWrite | kDenyOom | kNoScript | kBlocking,
         .acl = kAcl,
         .keys = {1, 2, 1},
         .handler = BLMove,
         .group = "list",
         .since = "6.2.0",
         .summary =
             "Pops an element from a list, pushes it to another list and returns it. Blocks until "
             "an element is available otherwise. Deletes the list if the last element was moved.",
         .complexity = "O(1)"});
  t.Add(
      {.name = "brpoplpush",
       .arity = 4,
       .flags = kWrite | kDenyOom | kNoScript | kBlocking,
       .acl = kAcl,
       .keys = {1, 2, 1},
       .handler = BRPopLPush,
       .group = "list",
       .since = "2.2.0",
       .summary =
           "Pops an element from a list, pushes it to another list and returns it. Block until an "
           "element is available otherwise. Deletes the list if the last element was popped.",
       .complexity = "O(1)"});
  t.Add({.name = "blmpop",
         .arity = -5,
         .flags = kWrite | kBlocking | kMovableKeys,
         .acl = kAcl,
         .keys = {.numkeys = 2},
         .handler = BLMPop,
         .group = "list",
         .since = "7.0.0",
         .summary = "Pops the first element from one of multiple lists. Blocks until an element is "
                    "available otherwise. Deletes the list if the last element was popped.",
         .complexity =
             "O(N+M) where N is the number of provided keys and M is the number of elements "
             "returned."});
}

}  // namespace strata::commands
