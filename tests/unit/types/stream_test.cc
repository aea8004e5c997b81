// The stream type on its own: ID parsing and order, the entry and sub-key encodings, and the
// Stream handle against a std::map model in the cache profile (held whole), the session
// profile with a small stream (held whole, written through) and with a big one (only the
// header hot: every operation walks or point-reads sub-keys), including group PELs indexed by
// group and by consumer, across a reopen.
#include "types/stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/clock.h"
#include "testing/temp_dir.h"

namespace strata::types {
namespace {

using ::strata::testing::TempDir;

// ---- IDs and encodings ------------------------------------------------------------------------

TEST(StreamIdTest, ParsesAsRedisDoes) {
  EXPECT_EQ(ParseStreamId("5-3", 0), (StreamId{5, 3}));
  EXPECT_EQ(ParseStreamId("5", 0), (StreamId{5, 0}));
  EXPECT_EQ(ParseStreamId("5", UINT64_MAX), (StreamId{5, UINT64_MAX}));
  EXPECT_EQ(ParseStreamId("-", 0), (StreamId{0, 0}));
  EXPECT_EQ(ParseStreamId("+", 0), StreamId::Max());
  EXPECT_EQ(ParseStreamId("18446744073709551615-18446744073709551615", 0), StreamId::Max());
  EXPECT_FALSE(ParseStreamId("-", 0, /*strict=*/true));
  EXPECT_FALSE(ParseStreamId("+", 0, /*strict=*/true));
  for (const char* bad : {"", "abc", "1-", "-1", "1-2-3", "1-abc", "18446744073709551616",
                          "1-18446744073709551616", " 1", "1 ", "1-*"}) {
    EXPECT_FALSE(ParseStreamId(bad, 0)) << bad;
  }
  bool seq_given = true;
  EXPECT_EQ(ParseStreamId("7-*", 0, true, &seq_given), (StreamId{7, 0}));
  EXPECT_FALSE(seq_given);
  EXPECT_EQ(ParseStreamId("7-1", 0, true, &seq_given), (StreamId{7, 1}));
  EXPECT_TRUE(seq_given);
  EXPECT_FALSE(ParseStreamId(std::string(128, '1'), 0)) << "longer than Redis's buffer";
}

TEST(StreamIdTest, IncrDecrCarryAndStopAtTheEnds) {
  StreamId id{1, UINT64_MAX};
  ASSERT_TRUE(id.Incr());
  EXPECT_EQ(id, (StreamId{2, 0}));
  ASSERT_TRUE(id.Decr());
  EXPECT_EQ(id, (StreamId{1, UINT64_MAX}));
  StreamId max = StreamId::Max();
  EXPECT_FALSE(max.Incr());
  EXPECT_EQ(max, StreamId::Max());
  StreamId zero;
  EXPECT_FALSE(zero.Decr());
  EXPECT_EQ(StreamId(StreamId{12, 34}).ToString(), "12-34");
}

TEST(StreamEncodingTest, EntrySubKeysSortByIdAndFieldsRoundTrip) {
  const std::vector<StreamId> ascending = {
      {0, 1}, {0, 255}, {0, 256}, {1, 0}, {255, UINT64_MAX}, {256, 0}, StreamId::Max()};
  for (size_t i = 0; i + 1 < ascending.size(); ++i) {
    EXPECT_LT(StreamEntrySubKey(ascending[i]), StreamEntrySubKey(ascending[i + 1]));
  }
  EXPECT_EQ(StreamEntrySubKey({1, 2}).size(), 17u);
  EXPECT_EQ(StreamEntrySubKey({1, 2})[0], '\x01') << "entries are tagged 0x01";
  std::vector<std::string_view> fields = {"f", "", std::string_view("a\0b", 3), "value"};
  std::vector<std::string> decoded;
  ASSERT_TRUE(DecodeStreamFields(EncodeStreamFields(fields), &decoded));
  ASSERT_EQ(decoded.size(), fields.size());
  for (size_t i = 0; i < fields.size(); ++i) EXPECT_EQ(decoded[i], fields[i]);
  std::string truncated = EncodeStreamFields(fields);
  truncated.pop_back();
  EXPECT_FALSE(DecodeStreamFields(truncated, &decoded));
}

// ---- Stream against a model -------------------------------------------------------------------

struct Config {
  config::Profile profile;
  int initial;  // entries added before the checks
};

class StreamModelTest : public ::testing::TestWithParam<Config> {
 protected:
  StreamModelTest() { OpenKeyspace(); }

  void OpenKeyspace() {
    storage::KeyspaceOptions options;
    options.profile = GetParam().profile;
    options.path = dir_.path() + "/data";
    options.clock = &clock_;
    auto opened = storage::Keyspace::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    ks_ = std::move(*opened);
    ks_->SetCommandTime(clock_.NowMs());
  }
  // Closes and reopens the keyspace (durable profile): everything must come from RocksDB.
  void Reopen() {
    ks_.reset();
    OpenKeyspace();
  }

  Stream Open() {
    auto s = Stream::Open(*ks_, 0, "s", /*for_write=*/true);
    EXPECT_TRUE(s.ok());
    return std::move(*s);
  }
  void Commit() { ASSERT_TRUE(ks_->Commit().ok()); }

  StreamId Add(Stream& s, StreamId id, const std::string& value) {
    if (!s.exists()) s.Create();
    std::vector<std::string_view> fields = {"f", value};
    auto added = s.Add(StreamAddId{StreamAddId::kExplicit, id}, fields);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    model_[id] = value;
    return id;
  }

  // The stream's entries must be exactly the model's, forwards and backwards.
  void ExpectModel(Stream& s) {
    auto all = s.Range(StreamId{}, StreamId::Max(), false, 0);
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), model_.size());
    auto it = model_.begin();
    for (const StreamEntry& e : *all) {
      EXPECT_EQ(e.id, it->first);
      ASSERT_EQ(e.fields.size(), 2u);
      EXPECT_EQ(e.fields[1], it->second);
      ++it;
    }
    auto rev = s.Range(StreamId{}, StreamId::Max(), true, 3);
    ASSERT_TRUE(rev.ok());
    auto rit = model_.rbegin();
    for (const StreamEntry& e : *rev) EXPECT_EQ(e.id, (rit++)->first);
    EXPECT_EQ(s.length(), model_.size());
    if (!model_.empty()) {
      EXPECT_EQ(s.first_id(), model_.begin()->first);
    }
  }

  bool HeldWhole() {
    auto e = ks_->Peek(0, "s");
    if (!e.ok() || *e == nullptr || (*e)->object == nullptr) return false;
    return static_cast<StreamObject*>((*e)->object.get())->whole();
  }

  TempDir dir_{"stream"};  // before ks_, so the directory outlives the open Keyspace
  FakeClock clock_;
  std::unique_ptr<storage::Keyspace> ks_;
  std::map<StreamId, std::string> model_;
};

TEST_P(StreamModelTest, AddRangeDeleteTrimMatchTheModel) {
  const int n = GetParam().initial;
  {
    Stream s = Open();
    for (int i = 1; i <= n; ++i)
      Add(s, StreamId{uint64_t(i / 3), uint64_t(i)}, "v" + std::to_string(i));
    s.FinishWrite();
    Commit();
  }
  const bool durable = GetParam().profile != config::Profile::kCache;
  if (durable && n > 2 * static_cast<int>(ks_->hot_collection_limit())) {
    EXPECT_FALSE(HeldWhole()) << "a big stream keeps only its tail in memory";
  } else {
    EXPECT_TRUE(HeldWhole());
  }
  Stream s = Open();
  ExpectModel(s);

  // Ranges with bounds inside and between IDs.
  auto mid = s.Range(StreamId{2, 0}, StreamId{3, UINT64_MAX}, false, 0);
  ASSERT_TRUE(mid.ok());
  size_t expected = 0;
  for (const auto& [id, v] : model_) expected += id.ms >= 2 && id.ms <= 3;
  EXPECT_EQ(mid->size(), expected);

  // Deleting the first entry moves first_id; deleting the top keeps last_id.
  const StreamId first = model_.begin()->first;
  const StreamId top = model_.rbegin()->first;
  std::vector<StreamId> doomed = {first, top, StreamId{999999, 0}, first};
  auto deleted = s.Delete(doomed);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 2);
  model_.erase(first);
  model_.erase(top);
  EXPECT_EQ(s.last_id(), top);
  EXPECT_EQ(s.max_deleted_id(), top);
  ExpectModel(s);
  auto again =
      s.Add(StreamAddId{StreamAddId::kExplicit, top}, std::vector<std::string_view>{"f", "v"});
  EXPECT_FALSE(again.ok()) << "an ID at or below the last one is refused even after XDEL";

  // Exact trimming to half the length.
  StreamTrim trim;
  trim.kind = StreamTrim::kMaxLen;
  trim.maxlen = static_cast<int64_t>(model_.size() / 2);
  auto trimmed = s.Trim(trim);
  ASSERT_TRUE(trimmed.ok());
  while (model_.size() > static_cast<size_t>(trim.maxlen)) model_.erase(model_.begin());
  ExpectModel(s);
  Commit();
  if (durable) {
    Reopen();
    Stream r = Open();
    ExpectModel(r);
    EXPECT_EQ(r.last_id(), top);
    EXPECT_EQ(r.header().entries_added, static_cast<uint64_t>(n));
  }
}

TEST_P(StreamModelTest, AutoIdsKeepIncreasingWhenTheClockGoesBack) {
  Stream s = Open();
  s.Create();
  clock_.SetMs(1000);
  ks_->SetCommandTime(clock_.NowMs());
  std::vector<std::string_view> fields = {"f", "v"};
  auto a = s.Add(StreamAddId{}, fields);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (StreamId{1000, 0}));
  clock_.SetMs(500);
  ks_->SetCommandTime(clock_.NowMs());
  auto b = s.Add(StreamAddId{}, fields);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (StreamId{1000, 1}));
  auto c = s.Add(StreamAddId{StreamAddId::kMsAuto, StreamId{1000, 0}}, fields);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, (StreamId{1000, 2}));
  EXPECT_FALSE(s.Add(StreamAddId{StreamAddId::kMsAuto, StreamId{999, 0}}, fields).ok());
}

TEST_P(StreamModelTest, PendingListsAreIndexedByGroupAndByConsumer) {
  const int n = GetParam().initial;
  Stream s = Open();
  for (int i = 1; i <= n; ++i) Add(s, StreamId{uint64_t(i), 0}, "v");
  s.PutGroup(StreamGroup{"g", StreamId{}, -1}, /*fresh=*/true);
  s.PutGroup(StreamGroup{"h", StreamId{}, -1}, /*fresh=*/true);
  // Every third entry pending for consumer "a", the rest for "b"; "h" has one entry.
  for (int i = 1; i <= n; ++i) {
    std::string owner = i % 3 == 0 ? "a" : "b";
    s.PutPending("g", PendingEntry{StreamId{uint64_t(i), 0}, owner, 100, 1}, std::nullopt);
  }
  s.PutPending("h", PendingEntry{StreamId{1, 0}, "a", 100, 1}, std::nullopt);
  ASSERT_TRUE(s.PutConsumer("g", StreamConsumer{"a", 1}).ok());
  ASSERT_TRUE(s.PutConsumer("g", StreamConsumer{"b", 1}).ok());
  ASSERT_TRUE(s.PutConsumer("g", StreamConsumer{"b", 2}).ok());
  // Groups, consumers and both PEL indexes: what decides holding the stream whole.
  EXPECT_EQ(s.header().aux, static_cast<uint64_t>(2 + 2 + 2 * (n + 1)));
  s.FinishWrite();
  Commit();

  auto count = [&](Stream& st, const char* group, const std::string* consumer) {
    int64_t k = 0;
    EXPECT_TRUE(st.ScanPending(group, consumer, StreamId{}, StreamId::Max(), [&](const auto& p) {
                    if (consumer) {
                      EXPECT_EQ(p.consumer, *consumer);
                    }
                    ++k;
                    return true;
                  }).ok());
    return k;
  };
  const std::string a = "a", b = "b";
  Stream t = Open();
  EXPECT_EQ(count(t, "g", nullptr), n);
  EXPECT_EQ(count(t, "g", &a), n / 3);
  EXPECT_EQ(count(t, "g", &b), n - n / 3);
  EXPECT_EQ(count(t, "h", nullptr), 1);

  // Moving an entry to another owner updates both indexes.
  auto p = t.GetPending("g", StreamId{3, 0});
  ASSERT_TRUE(p.ok() && *p);
  PendingEntry moved = **p;
  moved.consumer = "b";
  moved.delivery_count = 2;
  t.PutPending("g", moved, std::string_view("a"));
  EXPECT_EQ(count(t, "g", &a), n / 3 - 1);
  EXPECT_EQ(count(t, "g", &b), n - n / 3 + 1);
  auto deleted = t.DeleteConsumer("g", "a");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, n / 3 - 1);
  EXPECT_EQ(count(t, "g", nullptr), n - n / 3 + 1);
  ASSERT_TRUE(t.DestroyGroup("h").ok());
  t.FinishWrite();
  Commit();
  if (GetParam().profile != config::Profile::kCache) Reopen();
  Stream r = Open();
  EXPECT_EQ(count(r, "g", nullptr), n - n / 3 + 1);
  EXPECT_EQ(count(r, "g", &b), n - n / 3 + 1);
  auto moved_back = r.GetPending("g", StreamId{3, 0});
  ASSERT_TRUE(moved_back.ok() && *moved_back);
  EXPECT_EQ((*moved_back)->consumer, "b");
  EXPECT_EQ((*moved_back)->delivery_count, 2u);
  auto groups = r.Groups();
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ(groups->front().name, "g");
  auto consumers = r.Consumers("g");
  ASSERT_TRUE(consumers.ok());
  ASSERT_EQ(consumers->size(), 1u);
  EXPECT_EQ(consumers->front().name, "b");
}

// A group hands entries to consumers: new ones once, pending ones again to their owner, idle
// ones to whoever claims them; every step survives a reopen.
TEST_P(StreamModelTest, DeliveryMovesEntriesThroughThePendingLists) {
  const bool durable = GetParam().profile != config::Profile::kCache;
  Stream s = Open();
  for (uint64_t i = 1; i <= 5; ++i) Add(s, StreamId{i, 0}, "v" + std::to_string(i));
  StreamGroup g{"g", StreamId{}, 0};
  s.PutGroup(g, /*fresh=*/true);
  auto first = s.DeliverNew(&g, "alice", 2, /*noack=*/false, 1000);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->consumer_created);
  ASSERT_EQ(first->entries.size(), 2u);
  EXPECT_EQ(first->entries[1].id, (StreamId{2, 0}));
  EXPECT_EQ(g.last_id, (StreamId{2, 0}));
  auto rest = s.DeliverNew(&g, "bob", 0, /*noack=*/false, 1100);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->entries.size(), 3u);
  auto none = s.DeliverNew(&g, "bob", 0, /*noack=*/false, 1200);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->entries.empty());
  EXPECT_FALSE(none->consumer_created);
  Commit();
  if (durable) Reopen();

  Stream t = Open();
  auto group = t.GetGroup("g");
  ASSERT_TRUE(group.ok() && *group);
  EXPECT_EQ((*group)->last_id, (StreamId{5, 0}));
  EXPECT_EQ((*group)->entries_read, 5);
  // Alice's history read delivers her two entries again, counting the delivery.
  auto again = t.DeliverPending(**group, "alice", StreamId{}, 0, 2000);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->entries.size(), 2u);
  auto p1 = t.GetPending("g", StreamId{1, 0});
  ASSERT_TRUE(p1.ok() && *p1);
  EXPECT_EQ((*p1)->delivery_count, 2u);
  EXPECT_EQ((*p1)->delivery_ms, 2000);
  // Carol claims what has been idle over 1 s at 3000 ms: bob's (delivered at 1100), not
  // alice's (delivered again at 2000). An entry deleted from the stream leaves the PEL.
  const std::vector<StreamId> doomed = {StreamId{5, 0}};
  ASSERT_TRUE(t.Delete(doomed).ok());
  Stream::ClaimOptions options;
  options.min_idle = 1001;
  options.delivery_ms = 3000;
  auto claimed =
      t.Claim(**group, "carol", {StreamId{1, 0}, StreamId{3, 0}, StreamId{4, 0}, StreamId{5, 0}},
              options, 3000);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->entries.size(), 2u);
  EXPECT_TRUE(claimed->consumer_created);
  auto gone = t.GetPending("g", StreamId{5, 0});
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  // XAUTOCLAIM with COUNT 1 from the start: takes the first idle entry, and its cursor points
  // at the next one.
  auto autoclaimed = t.AutoClaim(**group, "dave", 0, StreamId{}, 1, false, 4000);
  ASSERT_TRUE(autoclaimed.ok());
  ASSERT_EQ(autoclaimed->claimed.entries.size(), 1u);
  EXPECT_EQ(autoclaimed->claimed.entries[0].id, (StreamId{1, 0}));
  EXPECT_EQ(autoclaimed->cursor, (StreamId{2, 0}));
  t.FinishWrite();
  Commit();
  if (durable) Reopen();

  Stream r = Open();
  const std::string dave = "dave", carol = "carol";
  std::vector<StreamId> daves, carols;
  ASSERT_TRUE(r.ScanPending("g", &dave, StreamId{}, StreamId::Max(), [&](const PendingEntry& p) {
                 daves.push_back(p.id);
                 return true;
               }).ok());
  ASSERT_TRUE(r.ScanPending("g", &carol, StreamId{}, StreamId::Max(), [&](const PendingEntry& p) {
                 carols.push_back(p.id);
                 return true;
               }).ok());
  EXPECT_EQ(daves, (std::vector<StreamId>{StreamId{1, 0}}));
  EXPECT_EQ(carols, (std::vector<StreamId>{StreamId{3, 0}, StreamId{4, 0}}));
}

TEST_P(StreamModelTest, EntriesReadAndLagFollowRedis) {
  Stream s = Open();
  for (int i = 1; i <= 5; ++i) Add(s, StreamId{uint64_t(i), 0}, "v");
  StreamGroup g{"g", StreamId{}, -1};
  EXPECT_EQ(s.Lag(g), 5) << "from 0-0, with no tombstones, the lag is everything";
  s.AdvanceGroup(&g, StreamId{1, 0});
  EXPECT_EQ(g.entries_read, 1);
  s.AdvanceGroup(&g, StreamId{2, 0});
  EXPECT_EQ(g.entries_read, 2);
  EXPECT_EQ(s.Lag(g), 3);
  ASSERT_TRUE(s.Delete(std::vector<StreamId>{StreamId{4, 0}}).ok());
  EXPECT_EQ(s.Lag(g), std::nullopt) << "a tombstone ahead of the group: unknown";
  s.AdvanceGroup(&g, StreamId{3, 0});
  EXPECT_EQ(g.entries_read, -1) << "delivered past a counter that a tombstone made unknown";
  s.AdvanceGroup(&g, StreamId{5, 0});
  EXPECT_EQ(g.entries_read, 5) << "reaching the last ID makes it exact again";
  EXPECT_EQ(s.Lag(g), 0);
  EXPECT_EQ(s.EstimateEntriesRead(StreamId{9, 0}), -1) << "a future ID";
}

// Random appends, deletes, trims and ranges (forwards and backwards, with counts) against the
// model, committing only now and then, so reads below the memory copy's ranges meet unwritten
// changes; and a reopen at the end.
TEST_P(StreamModelTest, RandomOperationsMatchTheModel) {
  std::mt19937_64 rng(7);
  const int n = GetParam().initial * 2;
  uint64_t next_ms = 1;
  {
    Stream s = Open();
    for (int i = 0; i < n; ++i) Add(s, StreamId{next_ms++, 0}, "v" + std::to_string(i));
    s.FinishWrite();
  }
  auto random_id = [&]() { return StreamId{rng() % (next_ms + 2), rng() % 2}; };
  for (int op = 0; op < 400; ++op) {
    Stream s = Open();
    switch (rng() % 6) {
      case 0:
      case 1:
        for (int k = 0; k < 20; ++k) Add(s, StreamId{next_ms++, 0}, "n" + std::to_string(op));
        break;
      case 2: {
        std::vector<StreamId> ids = {random_id(), random_id(), random_id()};
        if (!model_.empty()) ids.push_back(model_.begin()->first);
        auto deleted = s.Delete(ids);
        ASSERT_TRUE(deleted.ok());
        int64_t expected = 0;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        for (const StreamId& id : ids) expected += model_.erase(id);
        EXPECT_EQ(*deleted, expected);
        break;
      }
      case 3: {
        StreamTrim trim;
        trim.kind = StreamTrim::kMaxLen;
        trim.maxlen = static_cast<int64_t>(model_.size()) - static_cast<int64_t>(rng() % 50);
        if (trim.maxlen < 0) trim.maxlen = 0;
        auto trimmed = s.Trim(trim);
        ASSERT_TRUE(trimmed.ok());
        int64_t expected = 0;
        while (model_.size() > static_cast<size_t>(trim.maxlen)) {
          model_.erase(model_.begin());
          ++expected;
        }
        EXPECT_EQ(*trimmed, expected);
        break;
      }
      default: {
        StreamId a = random_id(), b = random_id();
        if (b < a) std::swap(a, b);
        const bool reverse = rng() % 2;
        const uint64_t count = rng() % 3 == 0 ? 0 : 1 + rng() % 40;
        auto got = s.Range(a, b, reverse, count);
        ASSERT_TRUE(got.ok());
        std::vector<StreamId> want;
        for (const auto& [id, v] : model_) {
          if (id >= a && id <= b) want.push_back(id);
        }
        if (reverse) std::reverse(want.begin(), want.end());
        if (count != 0 && want.size() > count) want.resize(count);
        ASSERT_EQ(got->size(), want.size()) << "op " << op;
        for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ((*got)[i].id, want[i]);
        break;
      }
    }
    s.FinishWrite();
    if (rng() % 8 == 0) Commit();
    if (!model_.empty()) {
      EXPECT_EQ(s.first_id(), model_.begin()->first) << "op " << op;
    }
    EXPECT_EQ(s.length(), model_.size());
  }
  Commit();
  Stream s = Open();
  ExpectModel(s);
  if (GetParam().profile != config::Profile::kCache) {
    Reopen();
    Stream r = Open();
    ExpectModel(r);
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, StreamModelTest,
                         ::testing::Values(Config{config::Profile::kCache, 40},
                                           Config{config::Profile::kSession, 40},
                                           Config{config::Profile::kSession, 1400}),
                         [](const auto& info) {
                           return std::string(config::ProfileName(info.param.profile)) +
                                  (info.param.initial > 1000 ? "Big" : "Small");
                         });

}  // namespace
}  // namespace strata::types
