// The overlay of unwritten sub-key changes: what a reader sees while a change is staged, in
// flight and written, and the seek hints it keeps per collection.
#include "storage/subkey_overlay.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::storage {
namespace {

constexpr uint8_t kData = 0;
constexpr uint8_t kScore = 1;

TEST(SubKeyOverlayTest, AReaderSeesTheLatestChangeUntilItsBatchIsWritten) {
  SubKeyOverlay overlay;
  std::string value;
  EXPECT_EQ(overlay.Get(kData, "Pa", &value), SubKeyOverlay::Found::kNothing);

  const std::string_view one = "1";
  overlay.Record(kData, "Pa", 1, &one, /*ticket=*/7);
  ASSERT_EQ(overlay.Get(kData, "Pa", &value), SubKeyOverlay::Found::kValue);
  EXPECT_EQ(value, "1");
  // The same key in another column family is another key.
  EXPECT_EQ(overlay.Get(kScore, "Pa", &value), SubKeyOverlay::Found::kNothing);

  overlay.Seal();  // batch 7 goes in flight
  overlay.Record(kData, "Pb", 1, nullptr, /*ticket=*/8);
  EXPECT_EQ(overlay.Get(kData, "Pb", &value), SubKeyOverlay::Found::kDeleted);

  overlay.Settle(7);
  EXPECT_EQ(overlay.Get(kData, "Pa", &value), SubKeyOverlay::Found::kNothing);
  EXPECT_EQ(overlay.Get(kData, "Pb", &value), SubKeyOverlay::Found::kDeleted);  // batch 8's
  overlay.Seal();
  overlay.Settle(8);
  EXPECT_TRUE(overlay.empty());
}

TEST(SubKeyOverlayTest, AKeyChangedAgainInALaterBatchOutlivesTheEarlierOne) {
  SubKeyOverlay overlay;
  const std::string_view v1 = "1", v2 = "2";
  overlay.Record(kData, "Pa", 1, &v1, 1);
  overlay.Seal();
  overlay.Record(kData, "Pa", 1, &v2, 2);  // open batch, while batch 1 is in flight
  overlay.Settle(1);
  std::string value;
  ASSERT_EQ(overlay.Get(kData, "Pa", &value), SubKeyOverlay::Found::kValue);
  EXPECT_EQ(value, "2");
}

TEST(SubKeyOverlayTest, RangeListsOneCollectionsChangesInKeyOrder) {
  SubKeyOverlay overlay;
  const std::string_view v = "v";
  overlay.Record(kData, "Pc", 1, &v, 1);
  overlay.Record(kData, "Pa", 1, nullptr, 1);
  overlay.Record(kData, "Qa", 1, &v, 1);   // another collection
  overlay.Record(kScore, "Pb", 1, &v, 1);  // another column family
  auto range = overlay.Range(kData, "P", "Q");
  ASSERT_EQ(range.size(), 2u);
  EXPECT_EQ(range[0].key, "Pa");
  EXPECT_FALSE(range[0].value.has_value());
  EXPECT_EQ(range[1].key, "Pc");
  EXPECT_EQ(range[1].value, "v");
}

TEST(SubKeyOverlayTest, APutOutsideACollectionsHintsWidensThem) {
  SubKeyOverlay overlay;
  auto hints = overlay.HintsFor(kData, "P");
  hints->lo = "Pm";
  hints->hi = "Pp";
  EXPECT_EQ(overlay.HintsFor(kData, "P"), hints);  // the same collection, the same hints

  const std::string_view v = "v";
  overlay.Record(kData, "Pc", 1, &v, 1);
  EXPECT_EQ(hints->lo, "Pc");
  overlay.WidenHints(kData, "Pz", 1);
  EXPECT_EQ(hints->hi, "Pz");
  overlay.Record(kData, "Pa", 1, nullptr, 1);  // a delete never widens
  EXPECT_EQ(hints->lo, "Pc");
  overlay.WidenHints(kScore, "Pb", 1);  // another column family's hints
  EXPECT_EQ(hints->lo, "Pc");

  overlay.Clear();
  EXPECT_NE(overlay.HintsFor(kData, "P"), hints);
}

}  // namespace
}  // namespace strata::storage
