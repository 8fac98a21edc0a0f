#pragma once

#include <httplib.h>

namespace ajuste::emulator {

// Ends the request's TCP connection without a response, as a crashed proxy or a lost packet
// would. httplib (0.11) gives handlers no socket, so this finds the connection's descriptor by
// its address pair and shuts it down; httplib's own write then fails and it closes the
// descriptor itself. Returns false when no such socket is found.
bool dropConnection(const httplib::Request& request);

}  // namespace ajuste::emulator
