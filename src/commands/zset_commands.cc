#include "commands/command_table.h"
#include "commands/context.h"

namespace strata::commands {

void RegisterZSetCommands(CommandTable& table) {}

}  // namespace strata::commands
