// What list_commands.cc shares with list_blocking_commands.cc.
#pragma once

#include <string>
#include <vector>

#include "commands/context.h"

namespace strata::commands {

// LMPOP's arguments from args[numkeys_at] on (numkeys key [key ...] LEFT|RIGHT [COUNT n]):
// validates them, then pops from the first non-empty list and replies. Returns true if it
// replied (popped, or an error); false if every key was empty, with their names appended to
// `empty_keys` (if given) so a blocking caller can wait on them.
bool ListMPop(CommandContext& ctx, size_t numkeys_at, std::vector<std::string>* empty_keys);

}  // namespace strata::commands
