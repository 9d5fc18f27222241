// The slot file's regions: what one writes is read back whole, and a region that is blank,
// torn, of another run or of another kind reads as absent.
#include "exec/local/slot_file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "exec/local/run_slots.hpp"
#include "exec_test_util.hpp"

namespace flowline {
namespace {

class SlotFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fd_ = open((dir_ / "slots").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ASSERT_GE(fd_, 0);
  }
  void TearDown() override { close(fd_); }
  std::string read(int64_t slot, slot_file::Region region, int64_t run_id) {
    slot_file::RegionText text;
    return slot_file::read_region(fd_, slot, region, run_id, text) ? std::string(text.view())
                                                                   : "<absent>";
  }

  exec_test::TempDir dir_;
  int fd_ = -1;
};

TEST_F(SlotFileTest, AClaimBlanksTheSlotAndRegionsReadBackForTheirRunOnly) {
  using slot_file::Region;
  ASSERT_EQ(slot_file::claim_slot(fd_, 2, 41, false), 0);
  EXPECT_EQ(slot_file::claimant(fd_, 2), 41);
  EXPECT_EQ(slot_file::claimant(fd_, 0), -1);  // below: a hole, never written
  EXPECT_EQ(read(2, Region::kExit, 41), "<absent>");
  ASSERT_EQ(slot_file::write_region(fd_, 2, Region::kPid, 41, "pid 7\n", false), 0);
  ASSERT_EQ(slot_file::write_region(fd_, 2, Region::kExit, 41, "flowline-exit 1\n", true), 0);
  EXPECT_EQ(read(2, Region::kPid, 41), "pid 7\n");
  EXPECT_EQ(read(2, Region::kExit, 41), "flowline-exit 1\n");
  EXPECT_EQ(read(2, Region::kExit, 42), "<absent>");  // another run's
  EXPECT_EQ(read(3, Region::kExit, 41), "<absent>");  // another slot
  EXPECT_EQ(slot_file::claimant(fd_, 2), 41);         // writing records keeps the claim
  // A new claim blanks what the slot's previous run wrote.
  ASSERT_EQ(slot_file::claim_slot(fd_, 2, 50, false), 0);
  EXPECT_EQ(read(2, Region::kPid, 41), "<absent>");
  EXPECT_EQ(read(2, Region::kExit, 50), "<absent>");
  ASSERT_EQ(slot_file::clear_slot(fd_, 2, false), 0);
  EXPECT_EQ(slot_file::claimant(fd_, 2), -1);
}

TEST_F(SlotFileTest, ATornOrOversizedRegionIsNotTakenForARecord) {
  using slot_file::Region;
  ASSERT_EQ(slot_file::claim_slot(fd_, 0, 1, false), 0);
  ASSERT_EQ(
      slot_file::write_region(fd_, 0, Region::kExit, 1, "flowline-exit 1\nexit_code 0\n", false),
      0);
  // One byte of the text changed, as a write cut short by a power loss would leave it.
  const auto span = slot_file::span_of(0, Region::kExit);
  ASSERT_EQ(pwrite(fd_, "X", 1, span.offset + 30), 1);
  EXPECT_EQ(read(0, Region::kExit, 1), "<absent>");
  EXPECT_EQ(slot_file::write_region(fd_, 0, Region::kPid, 1, std::string(400, 'x'), false), E2BIG);
}

TEST(RunSlots, HandlesNameTheSlotFileAndNothingElse) {
  EXPECT_TRUE(RunSlots::is_handle("/state/runs/slots#0"));
  EXPECT_TRUE(RunSlots::is_handle("/state/runs/slots#12"));
  EXPECT_FALSE(RunSlots::is_handle("/state/runs/12"));  // a run directory before slots
  EXPECT_FALSE(RunSlots::is_handle("/state/runs#1/12"));
  EXPECT_FALSE(RunSlots::is_handle("/state/runs/slots#"));
  EXPECT_FALSE(RunSlots::is_handle(""));
}

TEST(RunSlots, AFileOfAnotherFormatIsRefusedWithAClearMessage) {
  exec_test::TempDir dir;
  { std::ofstream(dir / "slots") << "something else entirely\n"; }
  auto slots = RunSlots::open(dir.path(), false);
  ASSERT_FALSE(slots.ok());
  EXPECT_NE(slots.error().message.find("not a FlowLine slot file"), std::string::npos)
      << slots.error().message;
}

}  // namespace
}  // namespace flowline
