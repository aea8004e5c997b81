#include "commands/key_registry.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace strata::commands {
namespace {

using Ready = std::vector<std::pair<int, std::string>>;

TEST(KeyRegistry, WaitersAreServedInArrivalOrderPerKey) {
  KeyRegistry r;
  EXPECT_FALSE(r.wants_ready());
  r.AddWaiter(0, "q", 7);
  r.AddWaiter(0, "q", 3);
  r.AddWaiter(1, "q", 9);  // another database, another queue
  EXPECT_TRUE(r.wants_ready());
  EXPECT_EQ(r.Waiters(0, "q"), (std::deque<uint64_t>{7, 3}));
  r.RemoveWaiter(0, "q", 7);
  EXPECT_EQ(r.Waiters(0, "q"), (std::deque<uint64_t>{3}));
  r.RemoveWaiter(0, "q", 3);
  r.RemoveWaiter(1, "q", 9);
  EXPECT_TRUE(r.Waiters(0, "q").empty());
  EXPECT_FALSE(r.wants_ready());
}

TEST(KeyRegistry, OnlyWaitedKeysBecomeReadyAndEachOnce) {
  KeyRegistry r;
  r.AddWaiter(0, "a", 1);
  r.AddWaiter(2, "b", 2);
  r.KeyReady(0, "nobody-waits");
  r.KeyReady(0, "a");
  r.KeyReady(2, "b");
  r.KeyReady(0, "a");
  ASSERT_TRUE(r.HasReadyKeys());
  EXPECT_EQ(r.TakeReadyKeys(), (Ready{{0, "a"}, {2, "b"}}));
  EXPECT_FALSE(r.HasReadyKeys());
}

TEST(KeyRegistry, WatchCountsChangesUntilTheLastUnwatch) {
  KeyRegistry r;
  EXPECT_FALSE(r.wants_changes());
  const uint64_t at_watch = r.Watch(0, "k");
  r.Watch(0, "k");  // a second client
  EXPECT_TRUE(r.wants_changes());
  r.KeyChanged(1, "k");  // same name, other database
  EXPECT_EQ(r.ChangeCount(0, "k"), at_watch);
  r.KeyChanged(0, "k");
  EXPECT_EQ(r.ChangeCount(0, "k"), at_watch + 1);
  r.Unwatch(0, "k");
  EXPECT_TRUE(r.wants_changes());
  r.Unwatch(0, "k");
  EXPECT_FALSE(r.wants_changes());
  EXPECT_EQ(r.ChangeCount(0, "k"), 0u);
}

TEST(KeyRegistry, FlushChangesWatchedKeysThatExistAndWakesWaiters) {
  KeyRegistry r;
  r.Watch(0, "there");
  r.Watch(0, "absent");
  r.Watch(1, "there");
  r.AddWaiter(0, "stream", 5);
  r.DatabaseFlushing(0, [](std::string_view key) { return key == "there"; });
  EXPECT_EQ(r.ChangeCount(0, "there"), 1u);
  EXPECT_EQ(r.ChangeCount(0, "absent"), 0u);
  EXPECT_EQ(r.ChangeCount(1, "there"), 0u);
  EXPECT_EQ(r.TakeReadyKeys(), (Ready{{0, "stream"}}));
}

TEST(KeyRegistry, SwapChangesWatchedKeysThatExistInEitherDatabase) {
  KeyRegistry r;
  r.Watch(0, "k");
  r.Watch(1, "only-in-0");
  r.Watch(2, "k");
  const std::set<std::pair<int, std::string>> keys = {{0, "k"}, {0, "only-in-0"}};
  r.DatabasesSwapping(0, 1, [&](int db, std::string_view key) {
    return keys.contains({db, std::string(key)});
  });
  EXPECT_EQ(r.ChangeCount(0, "k"), 1u);
  EXPECT_EQ(r.ChangeCount(1, "only-in-0"), 1u);
  EXPECT_EQ(r.ChangeCount(2, "k"), 0u);  // not swapped
}

}  // namespace
}  // namespace strata::commands
