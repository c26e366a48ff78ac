#pragma once
// /healthz and /readyz on the metrics port, answered by a civetweb
// begin_request hook in prometheus-cpp's server. Read-only: no endpoint can
// change the daemon's state.
//   /healthz  200 while the loop is alive (not stuck in a fatal error)
//   /readyz   200 when partitions are assigned and a broker is reachable, else 503

#include <atomic>

struct CivetCallbacks;

namespace coopwatch::io {

struct health_state {
  std::atomic<bool> alive{true};
  std::atomic<bool> broker_reachable{false};
  std::atomic<int> assigned_partitions{0};

  [[nodiscard]] bool ready() const noexcept {
    return alive && broker_reachable && assigned_partitions > 0;
  }
};

// Callbacks for prometheus::Exposer that serve the two endpoints from `state`.
// civetweb gives the hook no user pointer of ours, so the state is
// registered once per process; the returned object must outlive the exposer.
[[nodiscard]] const CivetCallbacks* health_callbacks(const health_state* state);

}  // namespace coopwatch::io
