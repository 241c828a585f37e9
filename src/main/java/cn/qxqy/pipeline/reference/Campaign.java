package cn.qxqy.pipeline.reference;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** 项目大会战: a campaign, such as 2024年“千项千亿”项目大会战, that projects are reserved into. */
@Entity
@Table(name = "campaigns")
public class Campaign extends PanacheEntityBase {

    @Id
    @Column(name = "campaign_id")
    public String campaignId;
    @Column(name = "name_zh")
    public String nameZh;
    @Column(name = "name_en")
    public String nameEn;
    public int year;
    @Column(name = "city_code")
    public String cityCode;
    @Column(name = "launched_on")
    public LocalDate launchedOn;
    /** The first day of the campaign's calendar: no figure is asked for a day before it. */
    @Column(name = "starts_on")
    public LocalDate startsOn;
    @Column(name = "ends_on")
    public LocalDate endsOn;
}
