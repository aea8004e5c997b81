// Redis's error replies, word for word: clients match on these strings.
#pragma once

#include <string>
#include <string_view>

namespace strata::commands::errors {

inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kOom = "OOM command not allowed when used memory > 'maxmemory'.";
inline constexpr std::string_view kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

inline std::string WrongArity(std::string_view command) {
  return "ERR wrong number of arguments for '" + std::string(command) + "' command";
}

inline std::string InvalidExpire(std::string_view command) {
  return "ERR invalid expire time in '" + std::string(command) + "' command";
}

// "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
std::string UnknownCommand(std::string_view name, const std::string_view* args, size_t nargs);
// "ERR unknown subcommand 'foo'. Try CLIENT HELP."
std::string UnknownSubcommand(std::string_view sub, std::string_view command);
// A known subcommand with arguments it does not take: `sub` as the client sent it, `command`
// in capitals ("... for 'get'. Try SLOWLOG HELP.").
inline std::string SubcommandSyntax(std::string_view sub, std::string_view command) {
  return "ERR unknown subcommand or wrong number of arguments for '" + std::string(sub) +
         "'. Try " + std::string(command) + " HELP.";
}

}  // namespace strata::commands::errors
