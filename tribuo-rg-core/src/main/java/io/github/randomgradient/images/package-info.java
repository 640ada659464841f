/**
 * Images as Tribuo data without one {@code ArrayExample} per image: {@link io.github.randomgradient.images.IdxImageDataSource}
 * reads IDX files into one pixel array, {@link io.github.randomgradient.images.DenseImageDataset} is a Tribuo dataset over it
 * that trainers converting to dense tensors read directly.
 */
package io.github.randomgradient.images;
