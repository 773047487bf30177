// Which per-connection families a router serves (`per_connection_families:`, DESIGN §5/§6), by
// short name. The renderer (metrics/connection_renderer.h) keeps its families in this order.
#pragma once

#include <array>
#include <bitset>
#include <string_view>

namespace rras {

inline constexpr std::array<std::string_view, 8> kConnectionFamilyNames = {
    "info", "start_time", "sent_bytes", "received_bytes", "sent_frames", "received_frames", "errors", "compression"};

using ConnectionFamilies = std::bitset<kConnectionFamilyNames.size()>;

// Lean by default: frames, the six serial-line error kinds and the two compression ratios are 9
// of 14 series per connection and mostly 0 on SSTP and IKEv2; per-router totals keep them.
inline constexpr ConnectionFamilies kDefaultConnectionFamilies{0b0000'1111};  // info, start_time, *_bytes

}  // namespace rras
