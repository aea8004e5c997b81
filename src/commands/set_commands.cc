#include "commands/command_table.h"
#include "commands/context.h"

namespace strata::commands {

void RegisterSetCommands(CommandTable& table) {}

}  // namespace strata::commands
