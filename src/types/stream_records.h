// The values of a stream's consumer-group records (group, pending entry, consumer), in
// protobuf's wire format as proto/format.proto describes them: a field added later costs no
// format bump (readers skip unknown fields; absent fields read as zero). Written and read by
// hand because they are on the path of every XREADGROUP and XACK.
//
// Format 1 stored them fixed-width; its decoders remain for the upgrade of such a directory
// (UpgradeStreamRecordsFromFormat1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace strata::storage {
class Keyspace;
}

namespace strata::types {

struct GroupRecord {
  uint64_t last_ms = 0;
  uint64_t last_seq = 0;
  int64_t entries_read = 0;
};
struct PendingRecord {
  int64_t delivery_ms = 0;
  uint64_t delivery_count = 0;
  std::string consumer;
};
struct ConsumerRecord {
  int64_t seen_ms = 0;
};

std::string EncodeGroupRecord(const GroupRecord& r);
std::string EncodePendingRecord(const PendingRecord& r);
std::string EncodeConsumerRecord(const ConsumerRecord& r);
// False on malformed bytes (a truncated varint or field, a wire type protobuf does not have).
bool DecodeGroupRecord(std::string_view v, GroupRecord* r);
bool DecodePendingRecord(std::string_view v, PendingRecord* r);
bool DecodeConsumerRecord(std::string_view v, ConsumerRecord* r);

// Format 1's fixed-width records.
bool DecodeGroupRecordFormat1(std::string_view v, GroupRecord* r);
bool DecodePendingRecordFormat1(std::string_view v, PendingRecord* r);
bool DecodeConsumerRecordFormat1(std::string_view v, ConsumerRecord* r);

// Rewrites every stream's group records from format 1 to the current encoding, staged into
// the open batch (the caller commits it together with the new format record).
Status UpgradeStreamRecordsFromFormat1(storage::Keyspace& ks);

}  // namespace strata::types
