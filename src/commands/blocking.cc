#include "commands/blocking.h"

#include <cmath>
#include <limits>

#include "common/numbers.h"

namespace strata::commands {

bool ParseBlockTimeout(CommandContext& ctx, std::string_view arg, int64_t* deadline_ms) {
  auto seconds = ParseLongDouble(arg);
  if (!seconds) {
    ctx.reply.Error("ERR timeout is not a float or out of range");
    return false;
  }
  long double ms = *seconds * 1000.0L;
  if (ms > static_cast<long double>(std::numeric_limits<int64_t>::max())) {
    ctx.reply.Error("ERR timeout is out of range");
    return false;
  }
  int64_t timeout = static_cast<int64_t>(std::ceil(ms));
  if (timeout < 0) {
    ctx.reply.Error("ERR timeout is negative");
    return false;
  }
  if (timeout == 0) {
    *deadline_ms = 0;
    return true;
  }
  int64_t now = ctx.ks().now_ms();
  if (timeout > std::numeric_limits<int64_t>::max() - now) {
    ctx.reply.Error("ERR timeout is out of range");
    return false;
  }
  *deadline_ms = now + timeout;
  return true;
}

void RequestBlock(CommandContext& ctx, std::vector<std::string> keys, int64_t deadline_ms,
                  bool null_array_on_timeout, storage::ValueType wanted) {
  BlockRequest& b = ctx.session.block;
  b.active = true;
  b.keys = std::move(keys);
  b.deadline_ms = deadline_ms;
  b.null_array_on_timeout = null_array_on_timeout;
  b.wanted = wanted;
}

}  // namespace strata::commands
