// The public headers compile as C++ (extern "C", NNM_RESTRICT empty) and link from C++.
#include <nnmath/nnmath.h>
#include <cstdio>

int main()
{
    const char *s = nnm_status_str(NNM_EDOM);
    std::printf("C++ consumer: libnnmath %s, %s\n", nnm_version_string(), s);
    return nnm_version_number() == NNM_VERSION_NUMBER ? 0 : 1;
}
