// A reply as a value: the RESP3 types. RESP2 replies map onto the subset RESP2 has (a RESP2
// null bulk string or null array is kNull).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata {

struct Reply {
  enum class Type {
    kSimpleString,  // +OK
    kError,         // -ERR ...: `str` holds the text without the '-'
    kInteger,
    kBulkString,
    kNull,
    kArray,
    kMap,  // `elements` holds key, value, key, value, ...
    kSet,
    kPush,  // out-of-band messages (pub/sub, invalidations) in RESP3
    kDouble,
    kBoolean,
    kVerbatim,  // `str` without its "txt:" prefix
    kBigNumber,
  };
  Type type = Type::kNull;
  std::string str;      // simple and bulk strings, errors, verbatim, big numbers, double text
  int64_t integer = 0;  // integers; booleans as 0 or 1
  double number = 0;    // doubles
  std::vector<Reply> elements;

  bool IsError() const { return type == Type::kError; }
};

}  // namespace strata
