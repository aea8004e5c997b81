#include "commands/command_table.h"
#include "commands/context.h"

namespace strata::commands {

void RegisterListCommands(CommandTable& table) {}

}  // namespace strata::commands
