#include "commands/scan_args.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "commands/arg_parser.h"
#include "commands/errors.h"
#include "common/glob.h"
#include "common/numbers.h"

namespace strata::commands {

std::optional<uint64_t> ParseScanCursor(std::string_view text) {
  if (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
  std::string buf(text);
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(buf.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return std::nullopt;
  return static_cast<uint64_t>(v);
}

bool ScanOptions::Matches(std::string_view item) const {
  return !pattern || GlobMatch(*pattern, item);
}

bool ParseScanOptions(CommandContext& ctx, size_t start, ScanOptions* options) {
  for (size_t i = start; i < ctx.argc(); i += 2) {
    const bool has_value = i + 1 < ctx.argc();
    if (has_value && EqualsIgnoreCase(ctx.arg(i), "COUNT")) {
      auto v = ParseInt64(ctx.arg(i + 1));
      if (!v) {
        ctx.reply.Error(errors::kNotInteger);
        return false;
      }
      if (*v < 1) {
        ctx.reply.Error(errors::kSyntax);
        return false;
      }
      options->count = *v;
    } else if (has_value && EqualsIgnoreCase(ctx.arg(i), "MATCH")) {
      options->pattern = ctx.arg(i + 1);
      if (*options->pattern == "*") options->pattern.reset();
    } else {
      ctx.reply.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

}  // namespace strata::commands
