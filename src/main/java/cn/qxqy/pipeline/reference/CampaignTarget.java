package cn.qxqy.pipeline.reference;

import cn.qxqy.pipeline.domain.Stage;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

/** 目标任务: a row of a campaign's targets. */
@Entity
@Table(name = "campaign_targets")
@IdClass(CampaignTarget.Key.class)
public class CampaignTarget extends PanacheEntityBase {

    @Id
    @Column(name = "campaign_id")
    public String campaignId;
    @Id
    public String code;
    @Column(name = "name_zh")
    public String nameZh;
    @Column(name = "name_en")
    public String nameEn;
    public Measure measure;
    /** Null for every category. */
    public String[] categories;
    @Enumerated(EnumType.STRING)
    @Column(name = "reached_stage")
    public Stage reachedStage;
    public BigDecimal target;
    /** The target's place in its campaign's list, from 1. */
    public int sort;

    /** The primary key: a target's code is unique within its campaign. */
    public static class Key implements Serializable {

        public String campaignId;
        public String code;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(campaignId, key.campaignId) && Objects.equals(code, key.code);
        }

        @Override
        public int hashCode() {
            return Objects.hash(campaignId, code);
        }
    }
}
