// The checkpointer: what it holds pinned, the slices it writes, and that every pin it takes is
// given back once. The sink records what a slice would put into the open batch.
#include "storage/checkpointer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/hash.h"

namespace strata::storage {
namespace {

struct Collection : HotObject {
  size_t Bytes() const override { return 0; }
  std::unique_ptr<HotObject> Clone() const override { return std::make_unique<Collection>(); }
};

class RecordingSink : public Checkpointer::Sink {
 public:
  void WriteDeferredString(HotEntry* e) override {
    e->deferred = 0;
    strings.emplace_back(e->key());
  }
  void WriteChange(uint8_t, std::string_view key, const std::string_view* value) override {
    changes.push_back(std::string(key) + (value ? "=" + std::string(*value) : " deleted"));
  }
  void Stage(HotEntry* e) override { staged.push_back(e); }

  std::vector<std::string> strings;
  std::vector<std::string> changes;
  std::vector<HotEntry*> staged;
};

class CheckpointerTest : public ::testing::Test {
 protected:
  HotEntry* String(std::string_view key, DbIndex db = 0) {
    return hot_.Insert(db, MemoryHash(key), key);
  }
  HotEntry* List(std::string_view key, int changes) {
    HotEntry* e = hot_.Insert(0, MemoryHash(key), key);
    e->type = ValueType::kList;
    e->object = std::make_unique<Collection>();
    for (int i = 0; i < changes; ++i) {
      const std::string sub = std::string(key) + ":" + std::to_string(100 + i);
      const size_t before = e->object->deferred.bytes();
      e->object->deferred.Put(0, sub, "v", /*fresh=*/true);
      checkpointer_.DeferChange(e, e->object->deferred.bytes() - before);
    }
    return e;
  }

  HotTier hot_{1};
  Checkpointer checkpointer_{&hot_};
  RecordingSink sink_;
};

TEST_F(CheckpointerTest, ACheckpointWritesWhatWasDeferredAndGivesEveryPinBack) {
  HotEntry* s = String("counter");
  checkpointer_.DeferString(s);
  checkpointer_.DeferString(s);  // deferred again before the checkpoint: still one pin
  HotEntry* l = List("jobs", 3);
  EXPECT_EQ(s->pins, 1);
  EXPECT_EQ(l->pins, 1);
  EXPECT_TRUE(checkpointer_.has_deferred());

  checkpointer_.Start(/*now_ms=*/0);
  EXPECT_TRUE(checkpointer_.open());
  EXPECT_FALSE(checkpointer_.has_deferred());
  EXPECT_FALSE(checkpointer_.settled());
  // Changes deferred from now on wait for the next checkpoint.
  HotEntry* later = String("later");
  checkpointer_.DeferString(later);

  Checkpointer::Pace idle;  // no client's writes in the batch: a full slice
  EXPECT_TRUE(checkpointer_.Continue(idle, sink_));
  EXPECT_EQ(sink_.strings, std::vector<std::string>{"counter"});
  EXPECT_EQ(sink_.changes, (std::vector<std::string>{"jobs:100=v", "jobs:101=v", "jobs:102=v"}));
  EXPECT_FALSE(checkpointer_.open());
  EXPECT_EQ(s->pins, 0);
  EXPECT_EQ(l->pins, 0);
  EXPECT_TRUE(l->object->checkpointing.empty());
  EXPECT_EQ(later->pins, 1);
  EXPECT_TRUE(checkpointer_.has_deferred());
}

TEST_F(CheckpointerTest, AClientBatchCarriesItsShareOfTheCheckpoint) {
  List("jobs", 100);
  checkpointer_.Start(0);
  Checkpointer::Pace pace;
  pace.client_writes = true;
  pace.logged_bytes = 1000;
  pace.log_bytes = 0;
  pace.log_target = 10000;  // a tenth of what the log may grow before the next one is due
  EXPECT_FALSE(checkpointer_.Continue(pace, sink_));
  EXPECT_EQ(sink_.changes.size(), 10u);
  // Behind schedule (the log is full): at least a full slice.
  pace.log_bytes = pace.log_target;
  EXPECT_TRUE(checkpointer_.Continue(pace, sink_));
  EXPECT_EQ(sink_.changes.size(), 100u);
}

TEST_F(CheckpointerTest, InOneBatchWritesEverything) {
  List("jobs", 3 * Checkpointer::kSlice);
  checkpointer_.Start(0);
  checkpointer_.SetInOneBatch(true);
  EXPECT_TRUE(checkpointer_.Continue(Checkpointer::Pace(), sink_));
  EXPECT_EQ(sink_.changes.size(), 3 * Checkpointer::kSlice);
}

TEST_F(CheckpointerTest, WritingStringsThroughLeavesCollectionsForTheCheckpoint) {
  HotEntry* s = String("name");
  checkpointer_.DeferString(s);
  HotEntry* l = List("jobs", 2);
  checkpointer_.WriteStringsThrough(sink_);
  EXPECT_EQ(sink_.strings, std::vector<std::string>{"name"});
  EXPECT_EQ(s->pins, 0);
  EXPECT_EQ(l->pins, 1);
  EXPECT_TRUE(checkpointer_.has_deferred());
  EXPECT_TRUE(sink_.changes.empty());
}

TEST_F(CheckpointerTest, ForgettingADatabaseUnpinsItsEntries) {
  HotTier two(2);
  Checkpointer checkpointer(&two);
  HotEntry* a = two.Insert(0, MemoryHash("a"), "a");
  HotEntry* b = two.Insert(1, MemoryHash("b"), "b");
  checkpointer.DeferString(a);
  checkpointer.DeferString(b);
  checkpointer.Forget(1);
  EXPECT_EQ(b->pins, 0);
  EXPECT_EQ(b->deferred, 0);
  EXPECT_EQ(a->pins, 1);
  checkpointer.Start(0);
  EXPECT_TRUE(checkpointer.Continue(Checkpointer::Pace(), sink_));
  EXPECT_EQ(sink_.strings, std::vector<std::string>{"a"});
  EXPECT_EQ(a->pins, 0);
}

TEST_F(CheckpointerTest, ADeletedEntryIsFreedWhenTheLastPinGoes) {
  HotEntry* s = String("gone");
  checkpointer_.DeferString(s);
  s->deferred = 0;  // deleted: a tombstone whose value is no longer to be written
  s->type = ValueType::kNone;
  const size_t before = hot_.entries();
  checkpointer_.Start(0);
  EXPECT_TRUE(checkpointer_.Continue(Checkpointer::Pace(), sink_));
  EXPECT_TRUE(sink_.strings.empty());
  EXPECT_EQ(hot_.entries(), before - 1);
}

}  // namespace
}  // namespace strata::storage
