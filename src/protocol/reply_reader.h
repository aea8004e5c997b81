// Decodes RESP2/RESP3 replies into a tree. Used by the embeddable API's callers and by tests;
// the server itself never decodes replies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::protocol {

struct ReplyValue {
  enum class Type {
    kSimple,
    kError,
    kInteger,
    kBulk,
    kNull,
    kArray,
    kMap,
    kSet,
    kPush,
    kDouble,
    kBool,
    kVerbatim,
    kBigNumber
  };
  Type type = Type::kNull;
  std::string str;      // simple, error, bulk, verbatim (without "txt:"), double text, big number
  int64_t integer = 0;  // integer, bool (0/1)
  std::vector<ReplyValue> elements;  // aggregates; a map holds key, value, key, value...
  bool is_null_aggregate = false;    // RESP2 *-1

  std::string DebugString() const;
};

// Parses one reply from the front of `input`. Returns the number of bytes used, 0 if the
// input is incomplete, or -1 if it is malformed.
int64_t ReadReply(std::string_view input, ReplyValue* out);

}  // namespace strata::protocol
