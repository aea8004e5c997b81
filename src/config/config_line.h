// Splitting one redis.conf line into arguments, with redis.conf's quoting rules:
//   - arguments are separated by whitespace;
//   - "double quotes" understand \n \r \t \b \a \\ \" and \xHH escapes;
//   - 'single quotes' understand only \' ;
//   - a closing quote must be followed by whitespace or the end of the line.
// Quotes may open in the middle of an argument (ab"c d" is one argument, `abc d`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::config {

// The arguments of `line`, or nullopt if a quote is left open or closed in the middle of a word.
// An empty or all-blank line gives no arguments.
std::optional<std::vector<std::string>> SplitConfigLine(std::string_view line);

}  // namespace strata::config
