package org.jgrad.nn.init;

/**
 * Which fan Kaiming initialization scales by: {@link #FAN_IN} keeps the variance of activations
 * in the forward pass, {@link #FAN_OUT} that of gradients in the backward pass.
 */
public enum FanMode {
    FAN_IN,
    FAN_OUT
}
