#include "http/handshake_queue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rras {
namespace {

std::vector<std::string> drain(HandshakeQueue<std::string>& q) {
  std::vector<std::string> order;
  while (auto item = q.pop()) order.push_back(*item);
  return order;
}

TEST(HandshakeQueueTest, AClientThatRepliedGoesBeforeEveryClientHello) {
  HandshakeQueue<std::string> q;
  q.push("hello-1", "flood", false);
  q.push("hello-2", "flood", false);
  q.push("finished", "flood", true);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(drain(q), (std::vector<std::string>{"finished", "hello-2", "hello-1"}));
  EXPECT_TRUE(q.empty());
}

TEST(HandshakeQueueTest, SourcesTakeTurnsSoAFloodWaitsBehindItself) {
  HandshakeQueue<std::string> q;
  for (int i = 0; i < 100; ++i) q.push("flood-" + std::to_string(i), "10.0.0.9", false);
  q.push("scraper", "10.0.0.1", false);
  // The flood's newest first, then the scraper, whatever the flood's length.
  const auto order = drain(q);
  ASSERT_EQ(order.size(), 101u);
  EXPECT_EQ(order[0], "flood-99");
  EXPECT_EQ(order[1], "scraper");
}

TEST(HandshakeQueueTest, WithinOneSourceTheNewestAndTheOldestInTurn) {
  HandshakeQueue<std::string> q;
  for (const char* name : {"a", "b", "c", "d", "e"}) q.push(name, "one", false);
  EXPECT_EQ(drain(q), (std::vector<std::string>{"e", "a", "d", "b", "c"}));
}

TEST(HandshakeQueueTest, ASourceThatEmptiedJoinsTheTurnAgainAtTheEnd) {
  HandshakeQueue<std::string> q;
  q.push("x1", "x", false);
  q.push("y1", "y", false);
  q.push("y2", "y", false);
  EXPECT_EQ(*q.pop(), "x1");  // x is gone from the turn
  q.push("x2", "x", false);   // and comes back after y
  EXPECT_EQ(drain(q), (std::vector<std::string>{"y2", "x2", "y1"}));
}

TEST(HandshakeQueueTest, ClearEmptiesEveryPart) {
  HandshakeQueue<std::string> q;
  q.push("a", "s", false);
  q.push("b", "s", true);
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
  EXPECT_FALSE(q.pop().has_value());
}

}  // namespace
}  // namespace rras
