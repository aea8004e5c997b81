#include <cctype>

#include "commands/context.h"

namespace strata::commands {

namespace {

// "WRONGTYPE Operation ..." or "ERR value ...": an upper-case error code, then a space.
bool HasErrorCode(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isupper(static_cast<unsigned char>(text[i]))) ++i;
  return i > 0 && i < text.size() && text[i] == ' ';
}

}  // namespace

void ReplyStatus(CommandContext& ctx, const Status& status) {
  if (status.IsInvalidArgument() && HasErrorCode(status.message())) {
    return ctx.reply.Error(status.message());
  }
  ctx.reply.Error("ERR " + status.message());
}

void ReplyHelp(CommandContext& ctx, std::span<const char* const> lines) {
  ctx.reply.ArrayHeader(lines.size());
  for (const char* line : lines) ctx.reply.SimpleString(line);
}

}  // namespace strata::commands
