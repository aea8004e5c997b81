// Fuzz target: the decoders of a stream's group records, which read bytes from disk (RocksDB's
// data column family). Any input must decode or be refused; never a crash or a read out of
// bounds. What decodes encodes back to bytes that decode to the same record.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "types/stream_records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::types;
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      GroupRecord a, b;
      if (DecodeGroupRecord(in, &a) &&
          (!DecodeGroupRecord(EncodeGroupRecord(a), &b) || a.last_ms != b.last_ms ||
           a.last_seq != b.last_seq || a.entries_read != b.entries_read)) {
        __builtin_trap();
      }
      (void)DecodeGroupRecordFormat1(in, &a);
      break;
    }
    case 1: {
      PendingRecord a, b;
      if (DecodePendingRecord(in, &a) &&
          (!DecodePendingRecord(EncodePendingRecord(a), &b) || a.delivery_ms != b.delivery_ms ||
           a.delivery_count != b.delivery_count || a.consumer != b.consumer)) {
        __builtin_trap();
      }
      (void)DecodePendingRecordFormat1(in, &a);
      break;
    }
    default: {
      ConsumerRecord a, b;
      if (DecodeConsumerRecord(in, &a) &&
          (!DecodeConsumerRecord(EncodeConsumerRecord(a), &b) || a.seen_ms != b.seen_ms)) {
        __builtin_trap();
      }
      (void)DecodeConsumerRecordFormat1(in, &a);
      break;
    }
  }
  return 0;
}
