/* The tour of the notes' worked examples: one file per module, each adding a tour_<module>(). */
#ifndef NNMATH_TOUR_H
#define NNMATH_TOUR_H

void tour_section(const char *title);
void tour_library(void);
void tour_activation(void);
void tour_loss(void);
void tour_gradient(void);
void tour_hessian(void);

#endif
