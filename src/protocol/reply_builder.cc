#include "protocol/reply_builder.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace strata::protocol {

void ReplyBuilder::Header(char type, size_t n) {
  char buf[32];
  buf[0] = type;
  auto r = std::to_chars(buf + 1, buf + sizeof(buf) - 2, n);
  r.ptr[0] = '\r';
  r.ptr[1] = '\n';
  out_->append(buf, r.ptr + 2 - buf);
}

void ReplyBuilder::SimpleString(std::string_view s) {
  out_->push_back('+');
  out_->append(s);
  out_->append("\r\n");
}

void ReplyBuilder::Error(std::string_view text) {
  out_->push_back('-');
  size_t start = out_->size();
  out_->append(text);
  for (size_t i = start; i < out_->size(); ++i) {
    if ((*out_)[i] == '\r' || (*out_)[i] == '\n') (*out_)[i] = ' ';
  }
  out_->append("\r\n");
}

void ReplyBuilder::Integer(int64_t v) {
  char buf[32];
  buf[0] = ':';
  auto r = std::to_chars(buf + 1, buf + sizeof(buf) - 2, v);
  r.ptr[0] = '\r';
  r.ptr[1] = '\n';
  out_->append(buf, r.ptr + 2 - buf);
}

void ReplyBuilder::Bulk(std::string_view s) {
  Header('$', s.size());
  out_->append(s);
  out_->append("\r\n");
}

void ReplyBuilder::Null() { out_->append(protocol_ >= 3 ? "_\r\n" : "$-1\r\n"); }

void ReplyBuilder::NullArray() { out_->append(protocol_ >= 3 ? "_\r\n" : "*-1\r\n"); }

void ReplyBuilder::ArrayHeader(size_t n) { Header('*', n); }

void ReplyBuilder::MapHeader(size_t n) {
  if (protocol_ >= 3) {
    Header('%', n);
  } else {
    Header('*', n * 2);
  }
}

void ReplyBuilder::SetHeader(size_t n) { Header(protocol_ >= 3 ? '~' : '*', n); }

void ReplyBuilder::PushHeader(size_t n) { Header(protocol_ >= 3 ? '>' : '*', n); }

void ReplyBuilder::Double(double v) {
  char buf[64];
  int len;
  if (std::isinf(v)) {
    len = std::snprintf(buf, sizeof(buf), "%s", v > 0 ? "inf" : "-inf");
  } else {
    len = std::snprintf(buf, sizeof(buf), "%.17g", v);
  }
  if (protocol_ >= 3) {
    out_->push_back(',');
    out_->append(buf, len);
    out_->append("\r\n");
  } else {
    Bulk(std::string_view(buf, len));
  }
}

void ReplyBuilder::Bool(bool v) {
  if (protocol_ >= 3) {
    out_->append(v ? "#t\r\n" : "#f\r\n");
  } else {
    Integer(v ? 1 : 0);
  }
}

void ReplyBuilder::Verbatim(std::string_view text) {
  if (protocol_ >= 3) {
    Header('=', text.size() + 4);
    out_->append("txt:");
    out_->append(text);
    out_->append("\r\n");
  } else {
    Bulk(text);
  }
}

void ReplyBuilder::BulkArray(const std::initializer_list<std::string_view>& items) {
  ArrayHeader(items.size());
  for (auto s : items) Bulk(s);
}

}  // namespace strata::protocol
