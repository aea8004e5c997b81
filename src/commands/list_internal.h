// What list_commands.cc shares with list_blocking_commands.cc.
#pragma once

#include <string>
#include <vector>

#include "commands/context.h"
#include "types/list.h"

namespace strata::commands {

// LMPOP's arguments from args[numkeys_at] on (numkeys key [key ...] LEFT|RIGHT [COUNT n]):
// validates them, then pops from the first non-empty list and replies. Returns true if it
// replied (popped, or an error); false if every key was empty, with their names appended to
// `empty_keys` (if given) so a blocking caller can wait on them.
bool ListMPop(CommandContext& ctx, size_t numkeys_at, std::vector<std::string>* empty_keys);

// Announces a move of one element from `src` to `dst` as Redis does: the push to the
// destination, then the pop from the source (and "del" if that emptied it).
void NotifyListMove(CommandContext& ctx, std::string_view src, std::string_view dst,
                    types::List::End from, types::List::End to);

}  // namespace strata::commands
