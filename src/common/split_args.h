// Splitting one line into arguments with Redis's quoting rules (its sdssplitargs), the one
// splitter for inline commands (protocol) and redis.conf lines (config):
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

namespace strata {

// The arguments of `line`, or nullopt if a quote is left open or closed in the middle of a word.
// An empty or all-blank line gives no arguments.
std::optional<std::vector<std::string>> SplitQuotedArgs(std::string_view line);

}  // namespace strata
