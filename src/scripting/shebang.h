// The first line of a script that starts with "#!": the engine ("#!lua") and the script's
// flags, as Redis 7.0 reads them. A script with a shebang leaves Redis's compatibility mode:
// its flags, not its commands one by one, decide whether it may write, run when memory is
// over maxmemory, or run on a stale replica.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"

namespace strata::scripting {

struct ScriptFlags {
  bool compat = true;  // no shebang: checked command by command, as before Redis 7.0
  bool no_writes = false;
  bool allow_oom = false;
  bool allow_stale = false;
  bool no_cluster = false;
  bool allow_cross_slot_keys = false;
};

struct Shebang {
  ScriptFlags flags;
  size_t length = 0;  // bytes before the first newline, which the compiled body keeps (so
                      // line numbers in errors count the shebang line)
};

// Reads `body`'s shebang, if any. Errors carry Redis's reply text ("ERR Unexpected engine in
// script shebang: #!python", "ERR Unexpected flag in script shebang: x", ...).
StatusOr<Shebang> ParseShebang(std::string_view body);

}  // namespace strata::scripting
