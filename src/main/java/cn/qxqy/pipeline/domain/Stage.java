package cn.qxqy.pipeline.domain;

/** A project's place in the campaign's lifecycle. */
public enum Stage {
    /** 储备: in the campaign's reserve. */
    RESERVED,
    /** 签约: an investor has signed. */
    SIGNED,
    /** 开工: construction has started. */
    STARTED,
    /** 竣工: construction is completed. */
    COMPLETED,
    /** 退出: withdrawn from the campaign; terminal. */
    WITHDRAWN
}
