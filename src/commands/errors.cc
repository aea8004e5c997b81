#include "commands/errors.h"

#include <cctype>

namespace strata::commands::errors {

std::string UnknownCommand(std::string_view name, const std::string_view* args, size_t nargs) {
  // Redis echoes the arguments until that text reaches 128 characters, each clipped to what
  // is left of the 128.
  std::string listed;
  for (size_t i = 0; i < nargs && listed.size() < 128; ++i) {
    listed += "'" + std::string(args[i].substr(0, 128 - listed.size())) + "' ";
  }
  return "ERR unknown command '" + std::string(name.substr(0, 128)) +
         "', with args beginning with: " + listed;
}

std::string UnknownSubcommand(std::string_view sub, std::string_view command) {
  std::string upper(command);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "ERR unknown subcommand '" + std::string(sub.substr(0, 128)) + "'. Try " + upper +
         " HELP.";
}

}  // namespace strata::commands::errors
