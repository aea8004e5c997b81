#include "commands/monitor.h"

#include <cstdio>

#include "commands/context.h"
#include "commands/slowlog.h"

namespace strata::commands {

void Monitors::Add(Session& s) {
  s.monitor = true;
  ids_.insert(s.id);
}

void Monitors::Remove(Session& s) {
  if (!s.monitor) return;
  s.monitor = false;
  ids_.erase(s.id);
}

void AppendQuoted(std::string* out, std::string_view arg) {
  out->push_back('"');
  for (unsigned char c : arg) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\a':
        out->append("\\a");
        break;
      case '\b':
        out->append("\\b");
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out->push_back(static_cast<char>(c));
        } else {
          char hex[5];
          std::snprintf(hex, sizeof(hex), "\\x%02x", c);
          out->append(hex);
        }
    }
  }
  out->push_back('"');
}

std::string MonitorLine(int64_t unix_micros, int db, std::string_view addr,
                        std::span<const std::string_view> args) {
  char head[48];
  std::snprintf(head, sizeof(head), "+%lld.%06lld [%d ",
                static_cast<long long>(unix_micros / 1000000),
                static_cast<long long>(unix_micros % 1000000), db);
  std::string line(head);
  line.append(addr);
  line.push_back(']');
  for (std::string_view a : RedactedArgs(args)) {
    line.push_back(' ');
    AppendQuoted(&line, a);
  }
  line.append("\r\n");
  return line;
}

}  // namespace strata::commands
