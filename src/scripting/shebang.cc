#include "scripting/shebang.h"

#include <string>
#include <vector>

#include "common/split_args.h"

namespace strata::scripting {

StatusOr<Shebang> ParseShebang(std::string_view body) {
  Shebang out;
  if (!body.starts_with("#!")) return out;
  const size_t end = body.find('\n');
  if (end == std::string_view::npos) return Status::InvalidArgument("ERR Invalid script shebang");
  out.length = end;
  std::optional<std::vector<std::string>> parts = SplitQuotedArgs(body.substr(0, end));
  if (!parts || parts->empty()) {
    return Status::InvalidArgument("ERR Invalid engine in script shebang");
  }
  if ((*parts)[0] != "#!lua") {
    return Status::InvalidArgument("ERR Unexpected engine in script shebang: " + (*parts)[0]);
  }
  out.flags.compat = false;
  for (size_t i = 1; i < parts->size(); ++i) {
    std::string_view part = (*parts)[i];
    if (!part.starts_with("flags=")) {
      return Status::InvalidArgument("ERR Unknown lua shebang option: " + std::string(part));
    }
    part.remove_prefix(6);
    // Comma-separated; an empty list (flags=) sets none.
    size_t start = 0;
    while (!part.empty() && start <= part.size()) {
      const size_t comma = part.find(',', start);
      const std::string_view flag =
          part.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      if (flag == "no-writes") {
        out.flags.no_writes = true;
      } else if (flag == "allow-oom") {
        out.flags.allow_oom = true;
      } else if (flag == "allow-stale") {
        out.flags.allow_stale = true;
      } else if (flag == "no-cluster") {
        out.flags.no_cluster = true;
      } else if (flag == "allow-cross-slot-keys") {
        out.flags.allow_cross_slot_keys = true;
      } else {
        return Status::InvalidArgument("ERR Unexpected flag in script shebang: " +
                                       std::string(flag));
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace strata::scripting
