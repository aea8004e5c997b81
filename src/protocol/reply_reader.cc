#include "protocol/reply_reader.h"

#include <cstdlib>

#include "common/numbers.h"

namespace strata::protocol {
namespace {

int64_t ReadAt(std::string_view in, size_t pos, ReplyValue* out, int depth) {
  if (depth > 64) return -1;
  if (pos >= in.size()) return 0;
  size_t eol = in.find("\r\n", pos);
  if (eol == std::string_view::npos) return 0;
  char type = in[pos];
  std::string_view line = in.substr(pos + 1, eol - pos - 1);
  size_t next = eol + 2;
  using T = ReplyValue::Type;
  auto aggregate = [&](T t, int64_t mult) -> int64_t {
    int64_t n = 0;
    if (line == "-1") {
      out->type = T::kNull;
      out->is_null_aggregate = true;
      return static_cast<int64_t>(next);
    }
    auto v = ParseInt64(line);
    if (!v || *v < 0) return -1;
    n = *v * mult;
    out->type = t;
    out->elements.resize(static_cast<size_t>(n));
    size_t p = next;
    for (int64_t i = 0; i < n; ++i) {
      int64_t r = ReadAt(in, p, &out->elements[static_cast<size_t>(i)], depth + 1);
      if (r <= 0) return r;
      p = static_cast<size_t>(r);
    }
    return static_cast<int64_t>(p);
  };
  auto blob = [&](T t) -> int64_t {
    auto v = ParseInt64(line);
    if (!v) return -1;
    if (*v < 0) {
      out->type = T::kNull;
      return static_cast<int64_t>(next);
    }
    size_t len = static_cast<size_t>(*v);
    if (next + len + 2 > in.size()) return 0;
    out->type = t;
    out->str.assign(in.substr(next, len));
    if (t == T::kVerbatim && out->str.size() >= 4) out->str.erase(0, 4);
    return static_cast<int64_t>(next + len + 2);
  };
  switch (type) {
    case '+':
      out->type = T::kSimple;
      out->str.assign(line);
      return static_cast<int64_t>(next);
    case '-':
      out->type = T::kError;
      out->str.assign(line);
      return static_cast<int64_t>(next);
    case ':': {
      auto v = ParseInt64(line);
      if (!v) return -1;
      out->type = T::kInteger;
      out->integer = *v;
      return static_cast<int64_t>(next);
    }
    case '$':
      return blob(T::kBulk);
    case '=':
      return blob(T::kVerbatim);
    case '!':
      return blob(T::kError);
    case '_':
      out->type = T::kNull;
      return static_cast<int64_t>(next);
    case ',':
      out->type = T::kDouble;
      out->str.assign(line);
      return static_cast<int64_t>(next);
    case '(':
      out->type = T::kBigNumber;
      out->str.assign(line);
      return static_cast<int64_t>(next);
    case '#':
      out->type = T::kBool;
      out->integer = line == "t" ? 1 : 0;
      return static_cast<int64_t>(next);
    case '*':
      return aggregate(T::kArray, 1);
    case '%':
      return aggregate(T::kMap, 2);
    case '~':
      return aggregate(T::kSet, 1);
    case '>':
      return aggregate(T::kPush, 1);
    default:
      return -1;
  }
}

}  // namespace

int64_t ReadReply(std::string_view input, ReplyValue* out) {
  *out = ReplyValue();
  return ReadAt(input, 0, out, 0);
}

std::string ReplyValue::DebugString() const {
  using T = Type;
  switch (type) {
    case T::kSimple:
      return "+" + str;
    case T::kError:
      return "-" + str;
    case T::kInteger:
      return ":" + std::to_string(integer);
    case T::kBulk:
      return "\"" + str + "\"";
    case T::kVerbatim:
      return "=\"" + str + "\"";
    case T::kNull:
      return "(nil)";
    case T::kDouble:
      return "," + str;
    case T::kBigNumber:
      return "(" + str;
    case T::kBool:
      return integer ? "#t" : "#f";
    default: {
      std::string s = type == T::kMap    ? "%["
                      : type == T::kSet  ? "~["
                      : type == T::kPush ? ">["
                                         : "[";
      for (size_t i = 0; i < elements.size(); ++i) {
        if (i) s += ", ";
        s += elements[i].DebugString();
      }
      return s + "]";
    }
  }
}

}  // namespace strata::protocol
