/* Configure-time probe (cmake/NnmathSimd.cmake): prints the best ISA that this machine runs among
 * those compiled in, using the library's own detection code. */
#include <stdio.h>
#include "core/cpu.c"

int main(void)
{
    printf("%s\n", nnm__isa_name(nnm__cpu_best_isa()));
    return 0;
}
