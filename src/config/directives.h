// The directive table: the one place that says, for every directive Strata understands, how its
// arguments are parsed, how CONFIG GET prints it and whether CONFIG SET may change it. Parsing a
// file, the command line, CONFIG GET and CONFIG SET all go through it, so they cannot disagree.
//
// Internal to the config module; the rest of the program uses config.h.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace strata::config::internal {

// Where a directive's arguments come from. Only `save` cares: file lines accumulate
// (`save 900 1` then `save 60 100`), while CONFIG SET replaces the whole list, as in Redis.
enum class Origin { kFile, kConfigSet };

// Why arguments were refused, in Redis's words ("argument must be a memory value").
using Refusal = std::optional<std::string>;

struct Directive {
  std::string_view name;  // canonical, lowercase
  bool mutable_at_runtime;
  size_t min_args;
  size_t max_args;
  // Stores the arguments into `cfg`, or leaves it unspecified and returns why not.
  std::function<Refusal(const std::vector<std::string>& args, Origin origin, ServerConfig& cfg)>
      set;
  // The value as CONFIG GET reports it.
  std::function<std::string(const ServerConfig& cfg)> get;
  // A byte count: CONFIG REWRITE writes it with the largest unit that divides it (64mb).
  bool memory = false;
};

inline constexpr size_t kAnyNumberOfArgs = static_cast<size_t>(-1);

// Every directive, in the order CONFIG GET lists them.
const std::vector<Directive>& Directives();
// The directive called `name` (any case), or nullptr.
const Directive* FindDirective(std::string_view name);

}  // namespace strata::config::internal
